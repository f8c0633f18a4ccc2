// Built-in components: video, cover-view, cover-image. See frame.js for the controller interface.
//
// video wraps an HTML <video> (never the browser's own controls: WeChat draws its own) with
// WeChat's control bar (play/pause, current time, progress bar, duration, full screen), its
// centre play button and poster, and reports WeChat's events with WeChat's `detail`. Children
// (cover-view, cover-image) go into a layer above the picture, as WeChat shows them above its
// native player. The logic layer's VideoContext sends `{k: "video", id, op, args}` through the
// page channel (logic/media.js).
//
// Full screen: the frame is sandboxed without allow-fullscreen, so the Fullscreen API is not
// available; "full screen" fills the page's frame (the phone's screen in the simulator).
(function () {
  "use strict";
  const V = globalThis.wxView;
  const doc = document;

  // A URL the app gave for media: only http(s), blob and our own paths reach the element (the
  // CSP limits what loads anyway; this keeps javascript:/data: and the like out of the DOM).
  function mediaUrl(v) {
    if (typeof v !== "string") return "";
    const s = v.trim();
    if (s === "") return "";
    try {
      const url = new URL(s, location.href);
      return url.protocol === "https:" || url.protocol === "http:" || url.protocol === "blob:" ? url.href : "";
    } catch {
      return "";
    }
  }
  V.mediaUrl = mediaUrl;

  function clock(seconds) {
    if (!Number.isFinite(seconds) || seconds < 0) seconds = 0;
    const s = Math.floor(seconds);
    const mm = String(Math.floor(s / 60)).padStart(2, "0");
    return `${mm}:${String(s % 60).padStart(2, "0")}`;
  }

  const FITS = new Set(["contain", "fill", "cover"]);
  const HIDE_CONTROLS_MS = 3000;

  V.components["wx-video"] = (el, meta) => {
    const video = doc.createElement("video");
    video.className = "wx-video-video";
    video.playsInline = true;
    video.preload = "metadata";
    video.setAttribute("playsinline", "");
    video.disablePictureInPicture = true;
    el.appendChild(video);

    const poster = doc.createElement("img");
    poster.className = "wx-video-poster";
    poster.alt = "";
    poster.draggable = false;
    el.appendChild(poster);

    const center = V.div("wx-video-center-play", el);
    center.setAttribute("role", "button");
    center.setAttribute("aria-label", "play");

    const bar = V.div("wx-video-bar", el);
    const playBtn = V.div("wx-video-play", bar);
    playBtn.setAttribute("role", "button");
    const current = V.div("wx-video-time wx-video-current", bar);
    const progress = V.div("wx-video-progress", bar);
    const track = V.div("wx-video-track", progress);
    const buffered = V.div("wx-video-buffered", track);
    const played = V.div("wx-video-played", track);
    const thumb = V.div("wx-video-thumb", track);
    const total = V.div("wx-video-time wx-video-duration", bar);
    const fullBtn = V.div("wx-video-fullscreen", bar);
    fullBtn.setAttribute("role", "button");

    // Children (cover-view, cover-image) show above the picture.
    const layer = V.div("wx-video-cover", el);
    layer.__wxHost = el;

    let src = "";
    let started = false; // played once since the source was set: the poster is gone
    let seeking = false; // the user drags the progress bar
    let fullScreen = false;
    let hideTimer = 0;
    let controlsShown = true;
    let lastTimeUpdate = -1;
    let initialApplied = false;

    const props = () => meta.props;
    const has = (name) => Object.prototype.hasOwnProperty.call(meta.props, name);
    const flag = (name, fallback) => (has(name) ? V.bool(meta.props[name]) : fallback);

    function duration() {
      const d = video.duration;
      return Number.isFinite(d) ? d : 0;
    }

    function render() {
      const d = duration();
      const t = seeking ? seekTo : video.currentTime;
      const k = d > 0 ? Math.max(0, Math.min(1, t / d)) : 0;
      played.style.width = k * 100 + "%";
      thumb.style.left = k * 100 + "%";
      current.textContent = clock(t);
      total.textContent = clock(d);
      if (video.buffered.length > 0 && d > 0) {
        buffered.style.width = Math.min(100, (video.buffered.end(video.buffered.length - 1) / d) * 100) + "%";
      }
      const playing = !video.paused && !video.ended;
      el.classList.toggle("wx-video-playing", playing);
      playBtn.setAttribute("aria-label", playing ? "pause" : "play");
      fullBtn.setAttribute("aria-label", fullScreen ? "exit full screen" : "full screen");
      poster.hidden = started || poster.getAttribute("src") === null;
      center.hidden = playing || !flag("showCenterPlayBtn", true) || seeking;
      const controls = flag("controls", true);
      bar.hidden = !controls || !controlsShown;
      progress.hidden = !flag("showProgress", true);
      fullBtn.hidden = !flag("showFullscreenBtn", true);
      playBtn.hidden = !flag("showPlayBtn", true);
    }

    function setControlsShown(show) {
      clearTimeout(hideTimer);
      if (show !== controlsShown) {
        controlsShown = show;
        V.emit(el, "controlstoggle", { show });
      }
      if (show && !video.paused) hideTimer = setTimeout(() => setControlsShown(false), HIDE_CONTROLS_MS);
      render();
    }

    function play() {
      const result = video.play();
      // The browser may refuse (autoplay policy); the video then simply stays paused, as a
      // phone that blocks autoplay does.
      if (result && result.catch) result.catch(() => render());
    }

    function pause() {
      video.pause();
    }

    function seek(position) {
      const p = Number(position);
      if (!Number.isFinite(p)) return;
      video.currentTime = Math.max(0, p);
    }

    function setFullScreen(on, direction) {
      if (on === fullScreen) return;
      fullScreen = on;
      el.classList.toggle("wx-video-full", on);
      let dir = "vertical";
      if (on) {
        if (direction === 90 || direction === -90) dir = "horizontal";
        else if (direction === 0) dir = "vertical";
        else dir = video.videoWidth > video.videoHeight ? "horizontal" : "vertical";
      }
      V.emit(el, "fullscreenchange", { fullScreen: on, direction: dir });
      render();
    }

    // --- the element's events, reported as WeChat's -------------------------------------------

    video.addEventListener("play", () => {
      started = true;
      V.emit(el, "play", {});
      setControlsShown(true);
    });
    video.addEventListener("pause", () => {
      // An ended video also fires pause first in some browsers; WeChat reports ended only.
      if (!video.ended) V.emit(el, "pause", {});
      setControlsShown(true);
    });
    video.addEventListener("ended", () => {
      V.emit(el, "timeupdate", { currentTime: video.currentTime, duration: duration() });
      V.emit(el, "ended", {});
      if (flag("loop", false)) {
        video.currentTime = 0;
        play();
      }
      setControlsShown(true);
    });
    video.addEventListener("timeupdate", () => {
      render();
      // WeChat reports about every 250 ms while playing.
      const now = performance.now();
      if (video.paused && !seeking) return;
      if (lastTimeUpdate >= 0 && now - lastTimeUpdate < 200) return;
      lastTimeUpdate = now;
      V.emit(el, "timeupdate", { currentTime: video.currentTime, duration: duration() });
    });
    video.addEventListener("waiting", () => V.emit(el, "waiting", {}));
    video.addEventListener("progress", () => {
      const d = duration();
      if (d > 0 && video.buffered.length > 0) {
        const pct = Math.round((video.buffered.end(video.buffered.length - 1) / d) * 100);
        V.emit(el, "progress", { buffered: pct });
      }
      render();
    });
    video.addEventListener("seeked", () => {
      V.emit(el, "seekcomplete", { position: video.currentTime });
      render();
    });
    video.addEventListener("loadedmetadata", () => {
      if (!initialApplied) {
        initialApplied = true;
        const start = V.num(props().initialTime, 0);
        if (start > 0) video.currentTime = start;
      }
      V.emit(el, "loadedmetadata", { width: video.videoWidth, height: video.videoHeight, duration: duration() });
      render();
    });
    video.addEventListener("durationchange", render);
    video.addEventListener("error", () => {
      if (src === "") return;
      const error = video.error;
      const code = error ? error.code : 0;
      const reason = code === 4 ? "MEDIA_ERR_SRC_NOT_SUPPORTED" : code === 3 ? "MEDIA_ERR_DECODE" : code === 2 ? "MEDIA_ERR_NETWORK" : "MEDIA_ERR_ABORTED";
      V.emit(el, "error", { errMsg: `video:fail ${reason}` });
      render();
    });

    // --- the user's controls ---------------------------------------------------------------

    function toggle() {
      if (video.paused || video.ended) play();
      else pause();
    }
    center.addEventListener("click", (e) => {
      e.stopPropagation();
      play();
    });
    playBtn.addEventListener("click", (e) => {
      e.stopPropagation();
      toggle();
    });
    fullBtn.addEventListener("click", (e) => {
      e.stopPropagation();
      setFullScreen(!fullScreen);
    });
    // A tap on the picture shows or hides the controls.
    video.addEventListener("click", () => {
      if (flag("controls", true)) setControlsShown(!controlsShown);
    });
    layer.addEventListener("click", (e) => {
      if (e.target === layer && flag("controls", true)) setControlsShown(!controlsShown);
    });
    bar.addEventListener("click", (e) => e.stopPropagation());

    let seekTo = 0;
    function seekAt(clientX) {
      const rect = track.getBoundingClientRect();
      const k = rect.width > 0 ? Math.max(0, Math.min(1, (clientX - rect.left) / rect.width)) : 0;
      seekTo = k * duration();
      render();
    }
    progress.addEventListener("pointerdown", (e) => {
      if (e.button !== 0 || duration() <= 0) return;
      e.stopPropagation();
      seeking = true;
      clearTimeout(hideTimer);
      try {
        progress.setPointerCapture(e.pointerId);
      } catch {
        // the pointer is already gone
      }
      seekAt(e.clientX);
    });
    progress.addEventListener("pointermove", (e) => {
      if (seeking) seekAt(e.clientX);
    });
    const endSeek = (e, cancelled) => {
      if (!seeking) return;
      seeking = false;
      if (!cancelled) {
        seekAt(e.clientX);
        video.currentTime = seekTo;
      }
      setControlsShown(true);
    };
    progress.addEventListener("pointerup", (e) => endSeek(e, false));
    progress.addEventListener("pointercancel", (e) => endSeek(e, true));

    const ctl = {
      slot: layer,
      set(name) {
        if (name === "src" || name === "poster" || name === "autoplay" || name === "initialTime") V.markDirty(ctl);
        else if (name === "muted") video.muted = V.bool(props().muted);
        else if (name === "objectFit") video.style.objectFit = FITS.has(props().objectFit) ? props().objectFit : "contain";
        else if (name === "loop") video.loop = false; // handled on `ended`, to report ended first
        else render();
      },
      update() {
        const p = props();
        const posterUrl = mediaUrl(p.poster);
        if (posterUrl === "") poster.removeAttribute("src");
        else if (poster.getAttribute("src") !== posterUrl) poster.src = posterUrl;
        const next = mediaUrl(p.src);
        if (next !== src) {
          src = next;
          started = false;
          initialApplied = false;
          if (src === "") video.removeAttribute("src");
          else video.src = src;
          if (src !== "" && V.bool(p.autoplay)) play();
        }
        render();
      },
      command(op, args) {
        switch (op) {
          case "play":
            play();
            break;
          case "pause":
            pause();
            break;
          case "stop":
            pause();
            video.currentTime = 0;
            break;
          case "seek":
            seek(args.position);
            break;
          case "playbackRate": {
            const rate = Number(args.rate);
            if (Number.isFinite(rate) && rate > 0 && rate <= 4) video.playbackRate = rate;
            break;
          }
          case "requestFullScreen":
            setFullScreen(true, args.direction);
            break;
          case "exitFullScreen":
            setFullScreen(false);
            break;
          default:
            break;
        }
      },
      destroy() {
        clearTimeout(hideTimer);
        video.pause();
        video.removeAttribute("src");
        video.load();
      },
    };
    el.__wxVideo = { video, command: ctl.command };
    video.muted = false;
    video.style.objectFit = "contain";
    render();
    V.markDirty(ctl);
    return ctl;
  };

  V.logic.video = (msg) => {
    const el = Number.isInteger(msg.id) ? V.nodeById(msg.id) : undefined;
    if (!el || !el.__wxVideo || typeof msg.op !== "string") return;
    el.__wxVideo.command(msg.op, msg.args && typeof msg.args === "object" ? msg.args : {});
  };

  V.nodeInfo["wx-video"] = (el) => ({ type: "video", id: el.id || "" });

  // --- cover-view / cover-image: a view and an image that stack above video and map ----------

  V.components["wx-cover-view"] = (el, meta) => {
    const ctl = {
      set(name) {
        if (name === "scrollTop") V.markDirty(ctl);
      },
      update() {
        const top = V.px(meta.props.scrollTop, null);
        if (top !== null) el.scrollTop = top;
      },
      needsConnected: true,
    };
    return ctl;
  };

  V.components["wx-cover-image"] = (el, meta) => {
    const img = doc.createElement("img");
    img.alt = "";
    img.draggable = false;
    el.appendChild(img);
    let shown = "";
    img.addEventListener("load", () => {
      if (shown !== "") V.emit(el, "load", { width: img.naturalWidth, height: img.naturalHeight });
    });
    img.addEventListener("load", () => img.classList.remove("wx-broken"));
    img.addEventListener("error", () => {
      // No broken-image icon: WeChat shows nothing.
      img.classList.add("wx-broken");
      if (shown !== "") V.emit(el, "error", { errMsg: `GET ${shown} error` });
    });
    const ctl = {
      set(name) {
        if (name === "src") V.markDirty(ctl);
      },
      update() {
        const raw = meta.props.src;
        const url = typeof raw === "string" && /^data:image\//i.test(raw.trim()) ? raw.trim() : mediaUrl(raw);
        if (url === shown) return;
        shown = url;
        if (url === "") img.removeAttribute("src");
        else img.src = url;
      },
    };
    return ctl;
  };
})();

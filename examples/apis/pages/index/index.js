// The apis example's home: a link to every page of the example.
Page({
  data: {
    pages: [
      { id: "query", title: "createSelectorQuery: rects, fields, scoping, node" },
      { id: "intersection", title: "createIntersectionObserver" },
      { id: "animation", title: "createAnimation, the animation attribute, this.animate" },
      { id: "scroll", title: "pageScrollTo: scrollTop and selector" },
      { id: "clipboard", title: "setClipboardData / getClipboardData" },
      { id: "phone", title: "makePhoneCall" },
      { id: "network-status", title: "getNetworkType / onNetworkStatusChange" },
      { id: "system", title: "getSystemInfo, getAccountInfoSync" },
      { id: "theme", title: "dark mode: theme.json, onThemeChange" },
      { id: "preview", title: "previewImage" },
      { id: "background", title: "setBackgroundColor, navigation bar loading" },
      { id: "update", title: "getUpdateManager" },
      { id: "files", title: "getFileSystemManager" },
      { id: "transfer", title: "uploadFile / downloadFile" },
      { id: "socket", title: "connectSocket (WebSocket)" },
      { id: "scan", title: "scanCode, a code's launch options, recognise a code" },
      { id: "login", title: "login, checkSession" },
      { id: "consent", title: "authorize, getSetting, openSetting, getLocation, getUserProfile" },
      { id: "subscribe", title: "requestSubscribeMessage" },
      { id: "choosers", title: "chooseImage, chooseMedia, chooseLocation, saveImageToPhotosAlbum" },
    ],
  },
});

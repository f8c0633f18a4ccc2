// The JSON API client: same-origin fetch, the CSRF header on every unsafe request, and one error
// type for everything that goes wrong (server errors carry the server's code, field and params).

// "__Host-" when the server marks cookies Secure (https, or loopback), plain otherwise.
const CSRF_COOKIES = ["__Host-miniapp_csrf", "miniapp_csrf"];
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const SIGNED_OUT_CODES = new Set(["not_signed_in", "session_expired"]);
const signedOutListeners = new Set();

export class ApiError extends Error {
  constructor(status, { code, message = "", field = null, params = {} } = {}) {
    super(message || code);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.field = field;
    this.params = params || {};
  }

  get signedOut() {
    return this.status === 401 && SIGNED_OUT_CODES.has(this.code);
  }
}

function readCookie(names) {
  for (const name of names) {
    for (const part of document.cookie.split(";")) {
      const [key, ...rest] = part.trim().split("=");
      if (key === name) return decodeURIComponent(rest.join("="));
    }
  }
  return null;
}

async function csrfToken() {
  // Read right before each request: the server rotates it on sign-in, sign-up and sign-out.
  const token = readCookie(CSRF_COOKIES);
  if (token) return token;
  const data = await request("GET", "/api/accounts/csrf");
  return readCookie(CSRF_COOKIES) || data.csrf_token;
}

async function request(method, path, body, { keepalive = false } = {}) {
  const headers = { Accept: "application/json" };
  // A FormData body (file uploads) is sent as multipart: the browser writes its Content-Type.
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers["Content-Type"] = "application/json";
  if (!SAFE_METHODS.has(method)) headers["X-CSRF-Token"] = await csrfToken();
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined || multipart ? body : JSON.stringify(body),
      credentials: "same-origin",
      keepalive, // the request outlives the page (a report sent as the user leaves)
    });
  } catch {
    throw new ApiError(0, { code: "network" });
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null; // not JSON: handled below
  }
  if (!response.ok) {
    const detail = data && data.error && typeof data.error.code === "string"
      ? data.error
      : { code: "unexpected", params: { code: String(response.status) } };
    const error = new ApiError(response.status, detail);
    if (error.signedOut) for (const listener of signedOutListeners) listener(error);
    throw error;
  }
  return data;
}

export const api = {
  get: (path) => request("GET", path),
  post: (path, body = {}, options = {}) => request("POST", path, body, options),
  patch: (path, body) => request("PATCH", path, body),
  put: (path, body) => request("PUT", path, body),
  delete: (path) => request("DELETE", path),
};

/** Called with the error whenever the server says the session is gone (401). */
export function onSignedOut(listener) {
  signedOutListeners.add(listener);
}

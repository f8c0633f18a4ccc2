// The signed-in user, shared by the host and the console: sign-up, sign-in, sign-out, password,
// and the language preference (a signed-in user's saved language wins; a change is saved).

import { api, onSignedOut } from "/static/shared/api.js";
import { language, setLanguage } from "/static/shared/i18n.js";

let user = null;
const listeners = new Set();

export function currentUser() {
  return user;
}

/** listener(user, reason): user is null when signed out; reason is an error code or null. */
export function onUserChange(listener) {
  listeners.add(listener);
}

/**
 * adoptLanguage: only when someone signs in (or the page learns who is signed in) does the saved
 * language win. Any other reply may have been written before a language change in flight was
 * saved, and must not switch the page back.
 */
function setUser(next, reason = null, { adoptLanguage = false } = {}) {
  user = next;
  if (adoptLanguage && user && user.language && user.language !== language()) setLanguage(user.language);
  for (const listener of listeners) listener(user, reason);
}

onSignedOut((error) => {
  if (user) setUser(null, error.code);
});

/** Ask the server who is signed in; resolves to the user or null. */
export async function loadCurrentUser() {
  try {
    const data = await api.get("/api/accounts/me");
    setUser(data.user, null, { adoptLanguage: true });
  } catch (error) {
    if (!error.signedOut) throw error;
    setUser(null);
  }
  return user;
}

export async function signUp({ login, display_name, password }) {
  // The language the user signed up in becomes their saved language.
  const data = await api.post("/api/accounts/signup", {
    login,
    display_name,
    password,
    language: language(),
  });
  setUser(data.user, null, { adoptLanguage: true });
  return user;
}

export async function signIn({ login, password }) {
  const data = await api.post("/api/accounts/login", { login, password });
  setUser(data.user, null, { adoptLanguage: true });
  return user;
}

export async function signOut() {
  await api.post("/api/accounts/logout");
  setUser(null);
}

export async function changePassword({ current_password, new_password }) {
  await api.post("/api/accounts/password", { current_password, new_password });
}

/** Replace the user after a server call that returned it (e.g. becoming a developer). */
export function updateUser(next) {
  setUser(next);
}

/** Switch the page's language; when signed in, save it on the account too. */
export async function chooseLanguage(lang) {
  setLanguage(lang);
  if (!user) return;
  const data = await api.patch("/api/accounts/me", { language: lang });
  // Only the language: the rest of the reply is the account as the server read it then, and
  // a change answered meanwhile (becoming a developer) must not be undone by it.
  if (!user) return;
  user = { ...user, language: data.user.language };
  for (const listener of listeners) listener(user, null);
}

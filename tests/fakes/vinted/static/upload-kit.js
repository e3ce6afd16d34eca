// What every module of the upload form shares: its settings, its state, DOM and API helpers.
// The form marks only the hooks UPLOAD-FORM.md names; the modules find the rest by class.

export const CFG = JSON.parse(document.querySelector("script.upload-config").textContent);

export function text(key, values = {}) {
  return CFG.TEXTS[key].replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

export const $ = (sel, root = document) => root.querySelector(sel);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export function uuid() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
    const r = (Math.random() * 16) | 0;
    return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
  });
}

export function fold(value) {
  return value.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

function cookie(name) {
  for (const part of document.cookie.split("; ")) {
    const at = part.indexOf("=");
    if (part.slice(0, at) === name) return decodeURIComponent(part.slice(at + 1));
  }
  return "";
}

export function writeHeaders(extra = {}) {
  return { "x-csrf-token": CFG.CSRF_TOKEN, "x-anon-id": cookie("anon_id"), ...extra };
}

export async function api(path, options = {}) {
  let response;
  try {
    response = await fetch(path, { credentials: "same-origin", ...options });
  } catch (_) {
    return { status: 0, ok: false, body: null };
  }
  let body = null;
  try {
    body = await response.json();
  } catch (_) {
    body = null;
  }
  return { status: response.status, ok: response.ok, body };
}

export const state = {
  tempUuid: uuid(),
  uploadSessionId: uuid(),
  photos: [], // {index, status: "loading" | "done" | "error", id, url, node}
  uploading: 0,
  recognised: false,
  suggestions: [],
  catalogs: null,
  catalogIndex: new Map(),
  catalogId: null,
  catalogLevel: [],
  brand: null, // {id, title}; id null for "no brand" or a custom brand
  sizeId: null,
  conditionId: null,
  colorIds: [],
  materialIds: [],
  price: CFG.PRICE.trusted_keys ? 0 : null,
  packageSizeId: null,
  submitting: false,
  openPicker: null,
  cache: new Map(),
};

// ---------------------------------------------------------------- errors
// A field's error shows under it as `<key>--error`; one without a field goes in the banner.
export function showError(key, message) {
  const slot = $(`.error-slot--${key}`);
  const node = el("div", { class: "error", "data-testid": `${key}--error`, role: "alert" }, message);
  if (slot) slot.replaceChildren(node);
  else showBanner(message);
}

export function clearError(key) {
  const slot = $(`.error-slot--${key}`);
  if (slot) slot.replaceChildren();
}

export function clearErrors() {
  $(".form-banner").replaceChildren();
  for (const slot of document.querySelectorAll(".error-slot")) slot.replaceChildren();
}

export function showBanner(message) {
  $(".form-banner").replaceChildren(
    el("div", { class: "banner error", "data-testid": "upload-form--error", role: "alert" }, message),
  );
}

// ---------------------------------------------------------------- buttons
export const saveButton = $('[data-testid="upload-form-save-button"]');
export const draftButton = $('[data-testid="upload-form-save-draft-button"]');

export function updateButtons() {
  const busy = state.submitting || state.uploading > 0;
  saveButton.disabled = busy;
  draftButton.disabled = busy;
}

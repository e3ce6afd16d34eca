// Every picker: `<key>-input` opens `<key>-content`, which shows `<key>--loader` while loading.
import { api, el, state, text } from "./upload-kit.js";

export const pickers = new Map();

export function makePicker(key, container, input, onOpen) {
  const picker = { key, container, input, content: null, onOpen };
  input.addEventListener("click", () => {
    if (state.openPicker === picker) closePicker();
    else openPicker(picker);
  });
  pickers.set(key, picker);
  return picker;
}

export function openPicker(picker) {
  closePicker();
  picker.content = el("div", { class: "picker-content", "data-testid": `${picker.key}-content` });
  picker.container.append(picker.content);
  state.openPicker = picker;
  picker.onOpen(picker.content);
}

export function closePicker() {
  const picker = state.openPicker;
  if (!picker) return;
  if (picker.content) picker.content.remove();
  picker.content = null;
  state.openPicker = null;
}

export function forgetPicker(key) {
  if (state.openPicker && state.openPicker.key === key) closePicker();
  pickers.delete(key);
}

document.addEventListener("click", (event) => {
  const picker = state.openPicker;
  if (picker && !event.composedPath().includes(picker.container)) closePicker();
});

// Fetch a picker's list once per page, showing the loader in its content meanwhile.
export async function loadInto(content, key, cacheKey, url) {
  if (state.cache.has(cacheKey)) return state.cache.get(cacheKey);
  const shown = el("div", { class: "loader", "data-testid": `${key}--loader` }, text("loading"));
  content.append(shown);
  const response = await api(url);
  shown.remove();
  if (!response.ok) {
    content.append(el("p", { class: "error" }, text("list_failed")));
    return null;
  }
  state.cache.set(cacheKey, response.body);
  return response.body;
}

// A clickable row: its visible title (and a smaller subtitle) is what a person reads.
export function cell(attrs, title, subtitle) {
  return el(
    "div",
    { class: "cell", role: "button", tabindex: "0", ...attrs },
    el("span", { class: "cell-title" }, title),
    subtitle ? el("small", {}, subtitle) : null,
  );
}

export function setValue(key, value) {
  const picker = pickers.get(key);
  if (picker) picker.input.value = value;
}

// The fields that appear once a LEAF category is chosen: brand, size, condition, colour, material.
// Options are labelled by their visible text; the hooks are the documented test ids and ids.
import { $, CFG, api, clearError, el, fold, state, text } from "./upload-kit.js";
import { cell, closePicker, forgetPicker, loadInto, makePicker, setValue } from "./upload-pickers.js";

const BRAND = "brand-select-dropdown";
const SIZE = "category-size-single-grid";
const CONDITION = "category-condition-single-list";
const COLOR = "color-select-dropdown";
const MATERIAL = "category-material-multi-list";

export function renderLeafFields() {
  const box = $(".leaf-fields");
  for (const key of [BRAND, SIZE, CONDITION, COLOR, MATERIAL]) forgetPicker(key);
  box.replaceChildren();
  const node = state.catalogIndex.get(state.catalogId);
  if (!node) return;
  const brandTitle = state.brand ? state.brand.title || text("no_brand") : "";
  box.append(field(BRAND, text("brand_label"), "brand", brandTitle, openBrands, "brand"));
  if (node.size_group_ids.length) {
    box.append(field(SIZE, text("size_label"), "size", sizeTitle(), openSizes, "size"));
  }
  box.append(field(CONDITION, text("condition_label"), "condition", conditionTitle(),
    openConditions, "condition"));
  box.append(field(COLOR, text("color_label"), null, colorTitles(), openColors, "color"));
  box.append(field(MATERIAL, text("material_label"), null, materialTitles(), openMaterials,
    "material"));
}

// id: the documented `#brand`, `#size`, `#condition`; the other inputs have none.
function field(key, label, id, value, onOpen, errorKey) {
  const input = el("input", {
    id, readonly: true, "data-testid": `${key}-input`, placeholder: text("choose"), value,
  });
  const caption = id
    ? [el("label", { for: id }, label), input]
    : [el("label", {}, label, input)];
  const container = el("div", { class: "picker" }, ...caption);
  makePicker(key, container, input, onOpen);
  return el("div", { class: "field" }, container,
    el("div", { class: `error-slot error-slot--${errorKey}` }));
}

function lookup(cacheKey, list, id) {
  const body = state.cache.get(cacheKey);
  return body ? (body[list] || []).find((x) => x.id === id) : null;
}

function sizeTitle() {
  const body = state.cache.get(`sizes:${state.catalogId}`);
  if (!body || !state.sizeId) return "";
  for (const g of body.size_groups) {
    const s = g.sizes.find((x) => x.id === state.sizeId);
    if (s) return s.title;
  }
  return "";
}

function conditionTitle() {
  const c = lookup(`conditions:${state.catalogId}`, "conditions", state.conditionId);
  return c ? c.title : "";
}

function colorTitles() {
  return state.colorIds
    .map((id) => lookup("colors", "colors", id))
    .filter(Boolean).map((c) => c.title).join(", ");
}

function materialTitles() {
  return state.materialIds
    .map((id) => lookup(`materials:${state.catalogId}`, "materials", id))
    .filter(Boolean).map((m) => m.title).join(", ");
}

// ---------------------------------------------------------------- brand
let brandSeq = 0;
let brandTimer = null;

async function openBrands(content) {
  const search = el("input", {
    "data-testid": "brand-search--input",
    class: "brand-search",
    placeholder: text("brand_search"),
    autocomplete: "off",
  });
  const list = el("div", { class: "list" });
  content.append(search, list);
  search.addEventListener("input", () => {
    clearTimeout(brandTimer);
    brandTimer = setTimeout(() => loadBrands(list, search.value), 250);
  });
  await loadBrands(list, "");
}

async function loadBrands(list, keyword) {
  const seq = ++brandSeq;
  list.replaceChildren(
    el("div", { class: "loader", "data-testid": `${BRAND}--loader` }, text("loading")),
  );
  const url = `/api/v2/item_upload/brands?keyword=${encodeURIComponent(keyword)}` +
    `&category_id=${state.catalogId}`;
  const response = await api(url);
  if (seq !== brandSeq) return;
  list.replaceChildren();
  if (!response.ok) {
    list.append(el("p", { class: "error" }, text("brands_failed")));
    return;
  }
  const brands = response.body.brands;
  const none = text("no_brand");
  list.append(cell({ id: "empty-brand", "aria-label": none, onclick: () => chooseBrand(null, "") },
    none));
  for (const b of brands) {
    const count = b.item_count ? text("brand_items", { count: b.item_count }) : null;
    list.append(cell({
      id: `brand-${b.id}`, "aria-label": b.title, onclick: () => chooseBrand(b.id, b.title),
    }, b.title, count));
  }
  const typed = keyword.trim();
  if (CFG.CUSTOM_BRANDS && typed && !brands.some((b) => fold(b.title) === fold(typed))) {
    list.append(cell({
      "data-testid": "custom-select-brand", onclick: () => chooseBrand(null, typed),
    }, text("custom_brand", { brand: typed })));
  }
}

function chooseBrand(id, title) {
  state.brand = { id, title };
  setValue(BRAND, title || text("no_brand"));
  clearError("brand");
  closePicker();
}

// ---------------------------------------------------------------- size
async function openSizes(content) {
  const id = state.catalogId;
  const body = await loadInto(content, SIZE, `sizes:${id}`,
    `/api/v2/item_upload/size_groups?catalog_ids=${id}`);
  if (!body || !content.isConnected) return;
  for (const group of body.size_groups) {
    const grid = el("div", { class: "grid" });
    for (const size of group.sizes) {
      const chosen = size.id === state.sizeId;
      grid.append(el("div", {
        class: chosen ? "grid-option chosen" : "grid-option",
        role: "button",
        tabindex: "0",
        "data-testid": `size-group-${group.id}-grid-option-${size.id}`,
        onclick: () => {
          state.sizeId = size.id;
          setValue(SIZE, size.title);
          clearError("size");
          closePicker();
        },
      }, size.title));
    }
    content.append(el("p", { class: "group-caption" }, group.caption), grid);
  }
}

// ---------------------------------------------------------------- condition
async function openConditions(content) {
  const id = state.catalogId;
  const body = await loadInto(content, CONDITION, `conditions:${id}`,
    `/api/v2/item_upload/conditions?catalog_id=${id}`);
  if (!body || !content.isConnected) return;
  for (const c of body.conditions) {
    const row = cell({
      id: `condition-${c.id}`,
      onclick: () => {
        state.conditionId = c.id;
        setValue(CONDITION, c.title);
        clearError("condition");
        closePicker();
      },
    }, c.title, c.explanation);
    if (c.id === state.conditionId) row.classList.add("chosen");
    content.append(row);
  }
}

// ---------------------------------------------------------------- colours and materials
// Multi-select lists with a cap: a row `<key>-{id}` around its checkbox `<key>-checkbox-{id}`.
function checkList(content, key, items, selected, max, onChange) {
  const boxes = [];
  const sync = () => {
    for (const { input, id } of boxes) {
      input.checked = selected.includes(id);
      input.disabled = !input.checked && selected.length >= max;
    }
  };
  for (const item of items) {
    const input = el("input", { type: "checkbox", "data-testid": `${key}-checkbox-${item.id}` });
    input.addEventListener("change", () => {
      const at = selected.indexOf(item.id);
      if (input.checked && at < 0 && selected.length < max) selected.push(item.id);
      if (!input.checked && at >= 0) selected.splice(at, 1);
      sync();
      onChange();
    });
    boxes.push({ input, id: item.id });
    content.append(el("label", { class: "cell", "data-testid": `${key}-${item.id}` },
      item.hex ? el("span", { class: "swatch", style: `background:${item.hex}` }) : null,
      el("span", { class: "cell-title" }, item.title), input));
  }
  sync();
}

async function openColors(content) {
  const body = await loadInto(content, COLOR, "colors", "/api/v2/item_upload/colors");
  if (!body || !content.isConnected) return;
  content.append(el("p", { class: "hint" }, text("colors_hint")));
  checkList(content, "color", body.colors, state.colorIds, CFG.MAX_COLORS, () => {
    setValue(COLOR, colorTitles());
    clearError("color");
  });
}

async function openMaterials(content) {
  const id = state.catalogId;
  const body = await loadInto(content, MATERIAL, `materials:${id}`,
    `/api/v2/item_upload/materials?catalog_id=${id}`);
  if (!body || !content.isConnected) return;
  content.append(el("p", { class: "hint" }, text("materials_hint")));
  checkList(content, "material", body.materials, state.materialIds, CFG.MAX_MATERIALS, () => {
    setValue(MATERIAL, materialTitles());
    clearError("material");
  });
}

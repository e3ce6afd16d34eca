// The category picker: rows `#catalog-{id}` level by level, a search box, photo suggestions.
// The chosen leaf shows only as its title in the input, as a person sees it.
import { $, api, clearError, el, fold, state, text } from "./upload-kit.js";
import { renderLeafFields } from "./upload-attributes.js";
import { cell, closePicker, loadInto, makePicker } from "./upload-pickers.js";

const KEY = "catalog-select-dropdown";
const catalogInput = $(`[data-testid="${KEY}-input"]`);
const catalogPicker = makePicker(KEY, catalogInput.closest(".picker"), catalogInput, openCatalogs);
let catalogList = null; // the open picker's list, re-rendered when recognition resets it

function indexCatalogs(nodes, parent) {
  for (const node of nodes) {
    node.parent = parent;
    state.catalogIndex.set(node.id, node);
    indexCatalogs(node.catalogs, node);
  }
}

function catalogPath(node) {
  const titles = [];
  for (let n = node; n; n = n.parent) titles.unshift(n.title);
  return titles;
}

function keepCatalogs(body) {
  if (body && !state.catalogs) {
    state.catalogs = body.catalogs;
    indexCatalogs(state.catalogs, null);
  }
  return state.catalogs;
}

// The picker opens at its root: the walk goes root to leaf every time.
async function openCatalogs(content) {
  state.catalogLevel = [];
  const search = el("input", {
    id: "catalog-search-input",
    class: "catalog-search",
    placeholder: text("category_search"),
    autocomplete: "off",
  });
  const list = el("div", { class: "list" });
  catalogList = list;
  content.append(search, list);
  search.addEventListener("input", () => {
    if (state.catalogs) renderCatalogs(list, search.value);
  });
  if (!state.catalogs) {
    keepCatalogs(await loadInto(content, KEY, "catalogs", "/api/v2/item_upload/catalogs"));
  }
  if (!state.catalogs || state.openPicker !== catalogPicker) return;
  renderCatalogs(list, search.value);
}

function renderCatalogs(list, query) {
  list.replaceChildren();
  if (state.suggestions.length && !query) {
    const box = el("div", { class: "suggestions" }, el("p", {}, text("suggestions")));
    for (const s of state.suggestions) {
      box.append(cell({
        "data-testid": `catalog-suggestion-${s.id}`,
        onclick: () => chooseCatalog(s.id),
      }, s.title, s.path.join(" > ")));
    }
    list.append(box);
  }
  if (query.trim()) {
    const key = fold(query.trim());
    const hits = [...state.catalogIndex.values()].filter(
      (n) => !n.catalogs.length && fold(n.title).includes(key),
    );
    for (const node of hits.slice(0, 30)) {
      list.append(cell(
        { id: `catalog-${node.id}`, onclick: () => chooseCatalog(node.id) },
        node.title, catalogPath(node).slice(0, -1).join(" > "),
      ));
    }
    if (!hits.length) list.append(el("p", {}, text("no_results")));
    return;
  }
  let nodes = state.catalogs;
  if (state.catalogLevel.length) {
    const parent = state.catalogIndex.get(state.catalogLevel[state.catalogLevel.length - 1]);
    nodes = parent.catalogs;
    list.append(el("div", { class: "level-header" },
      el("button", {
        type: "button",
        class: "link back",
        onclick: () => {
          state.catalogLevel.pop();
          renderCatalogs(list, "");
        },
      }, "‹"),
      el("strong", {}, parent.title)));
  }
  for (const node of nodes) {
    const isLeaf = !node.catalogs.length;
    const row = cell({
      id: `catalog-${node.id}`,
      onclick: () => {
        if (isLeaf) {
          chooseCatalog(node.id);
        } else {
          state.catalogLevel.push(node.id);
          renderCatalogs(list, "");
        }
      },
    }, node.title);
    const mark = isLeaf ? (node.id === state.catalogId ? "●" : "○") : "›";
    row.append(el("span", { class: "chevron", "aria-hidden": "true" }, mark));
    list.append(row);
  }
}

function chooseCatalog(id, { keepOpen = false } = {}) {
  const node = state.catalogIndex.get(id);
  if (!node || node.catalogs.length) return;
  const previous = state.catalogId ? state.catalogIndex.get(state.catalogId) : null;
  state.catalogId = id;
  state.catalogLevel = [];
  catalogInput.value = node.title;
  if (!previous || previous.size_group_ids.join() !== node.size_group_ids.join()) {
    state.sizeId = null;
  }
  if (previous && previous.id !== id) state.materialIds = [];
  if (state.openPicker === catalogPicker) {
    if (keepOpen && catalogList) renderCatalogs(catalogList, "");
    else closePicker();
  }
  clearError("catalog");
  renderLeafFields();
}

// Vinted guesses a category from the first photo: it pre-fills one of its own (not the one
// already chosen) and takes the picker back to its root.
export async function recognise(photoId) {
  const response = await api(`/api/v2/item_upload/catalog_suggestions?photo_ids=${photoId}`);
  if (!response.ok || !response.body.catalogs.length) return;
  if (!state.catalogs) {
    const catalogs = await api("/api/v2/item_upload/catalogs");
    if (!catalogs.ok) return;
    keepCatalogs(catalogs.body);
  }
  state.suggestions = response.body.catalogs;
  const guess = state.suggestions.find((s) => s.id !== state.catalogId);
  if (guess) chooseCatalog(guess.id, { keepOpen: true });
}

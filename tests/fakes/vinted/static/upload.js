// The upload form of the Vinted replica: every control is driven here, as on the real page.
(() => {
  "use strict";
  const CFG = window.__UPLOAD_CONFIG__;
  const MAX_PHOTOS = 20;

  const $ = (sel, root = document) => root.querySelector(sel);

  function el(tag, attrs = {}, ...children) {
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

  function uuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    return "xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx".replace(/[xy]/g, (c) => {
      const r = (Math.random() * 16) | 0;
      return (c === "x" ? r : (r & 0x3) | 0x8).toString(16);
    });
  }

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function cookie(name) {
    for (const part of document.cookie.split("; ")) {
      const at = part.indexOf("=");
      if (part.slice(0, at) === name) return decodeURIComponent(part.slice(at + 1));
    }
    return "";
  }

  function writeHeaders(extra = {}) {
    return { "x-csrf-token": CFG.CSRF_TOKEN, "x-anon-id": cookie("anon_id"), ...extra };
  }

  async function api(path, options = {}) {
    const response = await fetch(path, { credentials: "same-origin", ...options });
    let body = null;
    try {
      body = await response.json();
    } catch (_) {
      body = null;
    }
    return { status: response.status, ok: response.ok, body };
  }

  const state = {
    tempUuid: uuid(),
    uploadSessionId: uuid(),
    photos: [], // {index, status: "loading" | "done" | "error", id, url}
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
    price: CFG.FEATURES.strict_price ? 0 : null,
    packageSizeId: null,
    submitting: false,
    openPicker: null,
    cache: new Map(),
  };

  // ---------------------------------------------------------------- pickers
  // Every picker: `<key>-input` opens `<key>-content`, which shows `<key>--loader` while loading.
  const pickers = new Map();

  function makePicker(key, container, input, onOpen) {
    const picker = { key, container, input, content: null, onOpen };
    input.addEventListener("click", () => {
      if (state.openPicker === picker) closePicker();
      else openPicker(picker);
    });
    pickers.set(key, picker);
    return picker;
  }

  function openPicker(picker) {
    closePicker();
    picker.content = el("div", { class: "picker-content", "data-testid": `${picker.key}-content` });
    picker.container.append(picker.content);
    state.openPicker = picker;
    picker.onOpen(picker.content);
  }

  function closePicker() {
    const picker = state.openPicker;
    if (!picker) return;
    if (picker.content) picker.content.remove();
    picker.content = null;
    state.openPicker = null;
  }

  document.addEventListener("click", (event) => {
    const picker = state.openPicker;
    if (picker && !event.composedPath().includes(picker.container)) closePicker();
  });

  async function loadInto(content, key, cacheKey, url) {
    if (state.cache.has(cacheKey)) return state.cache.get(cacheKey);
    const loader = el("div", { class: "loader", "data-testid": `${key}--loader` }, "Chargement…");
    content.append(loader);
    const response = await api(url);
    loader.remove();
    if (!response.ok) {
      content.append(el("p", { class: "error" }, "Impossible de charger la liste."));
      return null;
    }
    state.cache.set(cacheKey, response.body);
    return response.body;
  }

  function cell(attrs, title, subtitle) {
    return el(
      "div",
      { class: "cell", role: "button", tabindex: "0", ...attrs },
      el("span", { class: "cell-title" }, title),
      subtitle ? el("small", {}, subtitle) : null,
    );
  }

  // ---------------------------------------------------------------- category
  const catalogInput = $('[data-testid="catalog-select-dropdown-input"]');
  const catalogPicker = makePicker(
    "catalog-select-dropdown",
    $('[data-testid="catalog-select-dropdown"]'),
    catalogInput,
    openCatalogs,
  );

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

  async function ensureCatalogs(content) {
    if (state.catalogs) return state.catalogs;
    const body = await loadInto(
      content, "catalog-select-dropdown", "catalogs", "/api/v2/item_upload/catalogs",
    );
    if (body && !state.catalogs) {
      state.catalogs = body.catalogs;
      indexCatalogs(state.catalogs, null);
    }
    return state.catalogs;
  }

  async function openCatalogs(content) {
    const search = el("input", {
      id: "catalog-search-input",
      "data-testid": "catalog-search-input",
      placeholder: "Rechercher une catégorie",
      autocomplete: "off",
    });
    const list = el("div", { class: "list", "data-testid": "catalog-select-dropdown-list" });
    content.append(search, list);
    search.addEventListener("input", () => {
      if (state.catalogs) renderCatalogs(list, search.value);
    });
    if (!(await ensureCatalogs(content))) return;
    if (state.openPicker !== catalogPicker) return;
    renderCatalogs(list, search.value);
  }

  function renderCatalogs(list, query) {
    list.replaceChildren();
    if (state.suggestions.length && !query) {
      const box = el("div", { class: "suggestions", "data-testid": "catalog-suggestions" },
        el("p", {}, "Suggestions"));
      for (const s of state.suggestions) {
        box.append(cell({
          id: `catalog-suggestion-${s.id}`,
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
      if (!hits.length) list.append(el("p", {}, "Aucun résultat"));
      return;
    }
    let nodes = state.catalogs;
    if (state.catalogLevel.length) {
      const parent = state.catalogIndex.get(state.catalogLevel[state.catalogLevel.length - 1]);
      nodes = parent.catalogs;
      list.append(el("div", { class: "level-header" },
        el("button", {
          type: "button",
          class: "link",
          "data-testid": "catalog-select-dropdown-back-button",
          "aria-label": "Retour",
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
        "aria-label": node.title,
        "aria-checked": isLeaf ? String(node.id === state.catalogId) : null,
        onclick: () => {
          if (isLeaf) {
            chooseCatalog(node.id);
          } else {
            state.catalogLevel.push(node.id);
            renderCatalogs(list, "");
          }
        },
      }, node.title);
      row.append(el("span", { class: "chevron" }, isLeaf ? (node.id === state.catalogId ? "●" : "○") : "›"));
      list.append(row);
    }
  }

  function chooseCatalog(id) {
    const node = state.catalogIndex.get(id);
    if (!node || node.catalogs.length) return;
    const previous = state.catalogId ? state.catalogIndex.get(state.catalogId) : null;
    state.catalogId = id;
    state.catalogLevel = [];
    catalogInput.value = node.title;
    catalogInput.setAttribute("data-catalog-id", String(id));
    catalogInput.setAttribute("title", catalogPath(node).join(" > "));
    if (!previous || previous.size_group_ids.join() !== node.size_group_ids.join()) {
      state.sizeId = null;
    }
    if (previous && previous.id !== id) state.materialIds = [];
    if (state.openPicker === catalogPicker) closePicker();
    clearError("catalog");
    renderLeafFields();
  }

  // ------------------------------------------------------- leaf-only fields
  function renderLeafFields() {
    const box = $("#leaf-fields");
    for (const key of ["brand-select-dropdown", "category-size-single-grid",
      "category-condition-single-list", "color-select-dropdown", "category-material-multi-list"]) {
      if (state.openPicker && state.openPicker.key === key) closePicker();
      pickers.delete(key);
    }
    box.replaceChildren();
    const node = state.catalogIndex.get(state.catalogId);
    if (!node) return;

    box.append(field("brand-select-dropdown", "Marque", "brand", state.brand ? state.brand.title || "Sans marque" : "", openBrands, "brand"));
    if (node.size_group_ids.length) {
      box.append(field("category-size-single-grid", "Taille", "size", sizeTitle(), openSizes, "size"));
    }
    box.append(field("category-condition-single-list", "État", "condition", conditionTitle(), openConditions, "condition"));
    box.append(field("color-select-dropdown", "Couleur", "color", colorTitles(), openColors, "color"));
    box.append(field("category-material-multi-list", "Matière (recommandé)", "material", materialTitles(), openMaterials, "material"));
  }

  function field(key, label, id, value, onOpen, errorKey) {
    const input = el("input", {
      id, readonly: true, "data-testid": `${key}-input`, placeholder: `Sélectionne`, value,
    });
    const container = el("div", { class: "picker", "data-testid": key },
      el("label", { for: id }, label), input);
    makePicker(key, container, input, onOpen);
    return el("div", { class: "field" }, container, el("div", { "data-error-slot": errorKey }));
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

  function setValue(key, value) {
    const picker = pickers.get(key);
    if (picker) picker.input.value = value;
  }

  // brand
  let brandSeq = 0;
  let brandTimer = null;

  async function openBrands(content) {
    const search = el("input", {
      id: "brand-search",
      "data-testid": "brand-search--input",
      placeholder: "Rechercher une marque",
      autocomplete: "off",
    });
    const list = el("div", { class: "list", "data-testid": "brand-select-dropdown-list" });
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
      el("div", { class: "loader", "data-testid": "brand-select-dropdown--loader" }, "Chargement…"),
    );
    const url = `/api/v2/item_upload/brands?keyword=${encodeURIComponent(keyword)}` +
      `&category_id=${state.catalogId}`;
    const response = await api(url);
    if (seq !== brandSeq) return;
    list.replaceChildren();
    if (!response.ok) {
      list.append(el("p", { class: "error" }, "Impossible de charger les marques."));
      return;
    }
    const brands = response.body.brands;
    list.append(cell({ id: "empty-brand", "aria-label": "Sans marque", onclick: () => chooseBrand(null, "") }, "Sans marque"));
    for (const b of brands) {
      list.append(cell({
        id: `brand-${b.id}`, "aria-label": b.title, onclick: () => chooseBrand(b.id, b.title),
      }, b.title, b.item_count ? `${b.item_count} articles` : null));
    }
    const typed = keyword.trim();
    if (typed && !brands.some((b) => fold(b.title) === fold(typed))) {
      list.append(cell({
        "data-testid": "custom-select-brand", onclick: () => chooseBrand(null, typed),
      }, `Utiliser « ${typed} » comme marque`));
    }
  }

  function chooseBrand(id, title) {
    state.brand = { id, title };
    setValue("brand-select-dropdown", title || "Sans marque");
    clearError("brand");
    closePicker();
  }

  // size
  async function openSizes(content) {
    const id = state.catalogId;
    const body = await loadInto(content, "category-size-single-grid", `sizes:${id}`,
      `/api/v2/item_upload/size_groups?catalog_ids=${id}`);
    if (!body || !content.isConnected) return;
    for (const group of body.size_groups) {
      const grid = el("div", { class: "grid", "data-testid": `size-group-${group.id}` });
      for (const size of group.sizes) {
        grid.append(el("div", {
          class: "grid-option",
          role: "button",
          tabindex: "0",
          "aria-label": size.title,
          "aria-pressed": String(size.id === state.sizeId),
          "data-testid": `size-group-${group.id}-grid-option-${size.id}`,
          onclick: () => {
            state.sizeId = size.id;
            setValue("category-size-single-grid", size.title);
            clearError("size");
            closePicker();
          },
        }, size.title));
      }
      content.append(el("p", { class: "group-caption" }, group.caption), grid);
    }
  }

  // condition
  async function openConditions(content) {
    const id = state.catalogId;
    const body = await loadInto(content, "category-condition-single-list", `conditions:${id}`,
      `/api/v2/item_upload/conditions?catalog_id=${id}`);
    if (!body || !content.isConnected) return;
    for (const c of body.conditions) {
      content.append(cell({
        id: `condition-${c.id}`,
        "aria-checked": String(c.id === state.conditionId),
        onclick: () => {
          state.conditionId = c.id;
          setValue("category-condition-single-list", c.title);
          clearError("condition");
          closePicker();
        },
      }, c.title, c.explanation));
    }
  }

  // colours and materials: multi-select lists with a cap
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
    const body = await loadInto(content, "color-select-dropdown", "colors", "/api/v2/item_upload/colors");
    if (!body || !content.isConnected) return;
    content.append(el("p", { class: "hint" }, "Choisis jusqu'à 2 couleurs"));
    checkList(content, "color", body.colors, state.colorIds, CFG.MAX_COLORS, () => {
      setValue("color-select-dropdown", colorTitles());
      clearError("color");
    });
  }

  async function openMaterials(content) {
    const id = state.catalogId;
    const body = await loadInto(content, "category-material-multi-list", `materials:${id}`,
      `/api/v2/item_upload/materials?catalog_id=${id}`);
    if (!body || !content.isConnected) return;
    content.append(el("p", { class: "hint" }, "Choisis jusqu'à 3 matières"));
    checkList(content, "material", body.materials, state.materialIds, CFG.MAX_MATERIALS, () => {
      setValue("category-material-multi-list", materialTitles());
      clearError("material");
    });
  }

  // ---------------------------------------------------------------- photos
  const grid = $('[data-testid="media-upload-grid"]');
  const fileInput = $('[data-testid="add-photos-input"]');
  let photoQueue = Promise.resolve();

  fileInput.addEventListener("change", () => {
    const files = [...fileInput.files];
    fileInput.value = "";
    for (const file of files) {
      if (state.photos.length >= MAX_PHOTOS) break;
      const photo = { index: state.photos.length, status: "loading", id: null, url: null };
      state.photos.push(photo);
      state.uploading += 1;
      updateButtons();
      photo.node = el("div", { class: "tile loading", "data-testid": `image-loader-${photo.index}` },
        el("div", { class: "loader" }));
      grid.append(photo.node);
      // One at a time, in the order chosen, so the photos keep their order.
      photoQueue = photoQueue.then(() => uploadPhoto(photo, file));
    }
    clearError("photos");
  });

  async function uploadPhoto(photo, file) {
    const form = new FormData();
    form.append("photo[type]", "item");
    form.append("photo[temp_uuid]", state.tempUuid);
    form.append("photo[file]", file, file.name);
    let response;
    try {
      response = await api("/api/v2/photos", {
        method: "POST",
        headers: writeHeaders({ "x-upload-form": "true" }),
        body: form,
      });
    } catch (_) {
      response = { ok: false, status: 0, body: null };
    }
    if (response.ok) {
      photo.id = response.body.id;
      photo.url = response.body.url;
      if (!state.recognised && CFG.FEATURES.photo_recognition) {
        state.recognised = true;
        await recognise(photo.id);
      }
      photo.status = "done";
      photo.node.replaceWith(photo.node = el("div", {
        class: "tile", "data-testid": `image-wrapper-${photo.index}`, "data-photo-id": photo.id,
      }, el("img", { src: photo.url, alt: "" })));
    } else {
      photo.status = "error";
      photo.node.replaceWith(photo.node = el("div", {
        class: "tile error", "data-testid": `image-error-${photo.index}`,
      }, "Échec de l'envoi"));
    }
    state.uploading -= 1;
    updateButtons();
  }

  // Vinted guesses a category from the first photo and takes the picker back to its root.
  async function recognise(photoId) {
    const response = await api(`/api/v2/item_upload/catalog_suggestions?photo_ids=${photoId}`);
    if (!response.ok || !response.body.catalogs.length) return;
    if (!state.catalogs) {
      const catalogs = await api("/api/v2/item_upload/catalogs");
      if (!catalogs.ok) return;
      if (!state.catalogs) {
        state.catalogs = catalogs.body.catalogs;
        indexCatalogs(state.catalogs, null);
      }
    }
    state.suggestions = response.body.catalogs;
    chooseCatalog(response.body.catalogs[0].id);
    state.catalogLevel = [];
  }

  // ---------------------------------------------------------------- price
  const priceInput = $("#price");
  let keyArmed = false;

  function parsePrice(text) {
    const cleaned = text.replace(/[\s\u00a0€]/g, "").replace(",", ".");
    if (!cleaned) return null;
    if (!/^\d+(\.\d{0,2})?$/.test(cleaned)) return null;
    return Math.round(parseFloat(cleaned) * 100) / 100;
  }

  function formatPrice(value) {
    return value === null ? "" : value.toFixed(2).replace(".", ",");
  }

  priceInput.addEventListener("keydown", (event) => {
    keyArmed = event.isTrusted;
  });
  priceInput.addEventListener("keyup", () => {
    keyArmed = false;
  });
  priceInput.addEventListener("input", (event) => {
    // The strict variant only trusts input that follows a real key press (a typing person).
    if (CFG.FEATURES.strict_price && !(event.isTrusted && keyArmed)) return;
    keyArmed = false;
    state.price = parsePrice(priceInput.value);
    clearError("price");
  });
  priceInput.addEventListener("blur", () => {
    keyArmed = false;
    priceInput.value = formatPrice(state.price);
  });

  // ---------------------------------------------------------------- parcel size
  for (const radio of document.querySelectorAll('input[name="package_size"]')) {
    radio.addEventListener("change", () => {
      if (radio.checked) state.packageSizeId = Number(radio.value);
      clearError("package-size");
    });
  }

  // ---------------------------------------------------------------- errors
  const ERROR_KEYS = {
    title: "title",
    description: "description",
    catalog_id: "catalog",
    brand_id: "brand",
    brand: "brand",
    size: "size",
    size_id: "size",
    condition: "condition",
    status_id: "condition",
    color_ids: "color",
    material: "material",
    price: "price",
    package_size_id: "package-size",
    assigned_photos: "photos",
  };

  function showError(key, message) {
    const slot = $(`[data-error-slot="${key}"]`);
    const node = el("div", { class: "error", "data-testid": `${key}--error`, role: "alert" }, message);
    if (slot) slot.replaceChildren(node);
    else showBanner(message);
  }

  function clearError(key) {
    const slot = $(`[data-error-slot="${key}"]`);
    if (slot) slot.replaceChildren();
  }

  function showBanner(message) {
    $("#form-banner").replaceChildren(
      el("div", { class: "banner error", "data-testid": "upload-form--error", role: "alert" }, message),
    );
  }

  function showCrashDialog() {
    document.body.append(el("div", {
      class: "overlay", "data-testid": "item-upload-critical-error-dialog--overlay",
    }, el("div", { class: "dialog", role: "dialog", "aria-modal": "true" },
      el("h2", {}, "Sorry, something went wrong"),
      el("p", {}, "Désolé, une erreur est survenue. Recharge la page."),
      el("button", {
        type: "button", class: "button primary",
        "data-testid": "item-upload-critical-error-dialog--reload",
        onclick: () => location.reload(),
      }, "Recharger"))));
  }

  // ---------------------------------------------------------------- submit
  const saveButton = $('[data-testid="upload-form-save-button"]');
  const draftButton = $('[data-testid="upload-form-save-draft-button"]');

  function updateButtons() {
    const busy = state.submitting || state.uploading > 0;
    saveButton.disabled = busy;
    draftButton.disabled = busy;
  }

  function itemBody() {
    const attributes = [];
    if (state.conditionId) attributes.push({ code: "condition", ids: [state.conditionId] });
    if (state.sizeId) attributes.push({ code: "size", ids: [state.sizeId] });
    if (state.materialIds.length) attributes.push({ code: "material", ids: [...state.materialIds] });
    return {
      item: {
        id: null,
        currency: "EUR",
        temp_uuid: state.tempUuid,
        title: $("#title").value,
        description: $("#description").value,
        brand_id: state.brand ? state.brand.id : null,
        brand: state.brand ? state.brand.title : null,
        catalog_id: state.catalogId,
        is_unisex: false,
        price: state.price,
        package_size_id: state.packageSizeId,
        shipment_prices: { domestic: null, international: null },
        color_ids: [...state.colorIds],
        assigned_photos: state.photos
          .filter((p) => p.status === "done")
          .map((p) => ({ id: p.id, orientation: 0 })),
        measurement_length: null,
        measurement_width: null,
        isbn: null,
        manufacturer: null,
        manufacturer_labelling: null,
        item_attributes: attributes,
      },
      feedback_id: null,
      push_up: $('[data-testid="bump-checkbox--input"]').checked,
      parcel: null,
      upload_session_id: state.uploadSessionId,
    };
  }

  async function submit(kind) {
    if (state.submitting || state.uploading) return;
    state.submitting = true;
    updateButtons();
    $("#form-banner").replaceChildren();
    for (const slot of document.querySelectorAll("[data-error-slot]")) slot.replaceChildren();
    const url = kind === "draft" ? "/api/v2/item_upload/drafts" : "/api/v2/item_upload/items";
    let response;
    try {
      response = await api(url, {
        method: "POST",
        headers: writeHeaders({ "content-type": "application/json", "x-upload-form": "true" }),
        body: JSON.stringify(itemBody()),
      });
    } catch (_) {
      response = { ok: false, status: 0, body: null };
    }
    state.submitting = false;
    updateButtons();
    if (response.ok) {
      location.assign(`/member/${CFG.USER_ID}`);
      return;
    }
    const body = response.body || {};
    if (response.status >= 500 || response.status === 0) {
      showCrashDialog();
    } else if (response.status === 429) {
      showBanner("Trop de requêtes. Réessaie dans quelques minutes.");
    } else if (Array.isArray(body.errors) && body.errors.length) {
      for (const error of body.errors) {
        showError(ERROR_KEYS[error.field] || error.field, error.value);
      }
    } else {
      showBanner(body.message || "Une erreur est survenue.");
    }
  }

  saveButton.addEventListener("click", () => submit("item"));
  draftButton.addEventListener("click", () => submit("draft"));
  document.documentElement.setAttribute("data-upload-ready", "true");
})();

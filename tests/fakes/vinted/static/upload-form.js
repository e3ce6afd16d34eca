// The rest of the form: price (typed in the site's format), parcel size, the crash dialog and
// the publish / save-as-draft calls.
import {
  $, CFG, api, clearError, clearErrors, draftButton, el, saveButton, showBanner, showError,
  state, text, updateButtons, writeHeaders,
} from "./upload-kit.js";

// ---------------------------------------------------------------- price
const priceInput = $("#price");
let keyArmed = false;

// The site's decimal separator; the other one only groups thousands ("1.250,50", "1,250.50").
// The French page also takes a decimal point; the others refuse the wrong separator.
function parsePrice(value) {
  const dec = CFG.PRICE.decimal;
  const group = dec === "," ? "." : ",";
  let cleaned = value.replace(/[\s\u00a0€£]/g, "");
  if (!cleaned) return null;
  if (CFG.PRICE.lenient && !cleaned.includes(dec)) cleaned = cleaned.replace(group, dec);
  const esc = (c) => (c === "." ? "\\." : c);
  const pattern = new RegExp(
    `^(\\d{1,3}(${esc(group)}\\d{3})+|\\d+)(${esc(dec)}\\d{0,2})?$`,
  );
  if (!pattern.test(cleaned)) return null;
  const number = cleaned.split(group).join("").replace(dec, ".");
  return Math.round(parseFloat(number) * 100) / 100;
}

function formatPrice(value) {
  return value === null ? "" : value.toFixed(2).replace(".", CFG.PRICE.decimal);
}

priceInput.addEventListener("keydown", (event) => {
  keyArmed = event.isTrusted;
});
priceInput.addEventListener("keyup", () => {
  keyArmed = false;
});
priceInput.addEventListener("input", (event) => {
  // The strict variant only trusts input that follows a real key press (a typing person).
  if (CFG.PRICE.trusted_keys && !(event.isTrusted && keyArmed)) return;
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

// ---------------------------------------------------------------- answers
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

function showCrashDialog() {
  document.body.append(el("div", {
    class: "overlay", "data-testid": "item-upload-critical-error-dialog--overlay",
  }, el("div", { class: "dialog", role: "dialog", "aria-modal": "true" },
    el("h2", {}, text("crash_heading")),
    el("p", {}, text("crash_body")),
    el("button", {
      type: "button", class: "button primary", onclick: () => location.reload(),
    }, text("reload")))));
}

// ---------------------------------------------------------------- submit
function itemBody() {
  const attributes = [];
  if (state.conditionId) attributes.push({ code: "condition", ids: [state.conditionId] });
  if (state.sizeId) attributes.push({ code: "size", ids: [state.sizeId] });
  if (state.materialIds.length) attributes.push({ code: "material", ids: [...state.materialIds] });
  return {
    item: {
      id: null,
      currency: CFG.CURRENCY,
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
  clearErrors();
  const url = kind === "draft" ? "/api/v2/item_upload/drafts" : "/api/v2/item_upload/items";
  const response = await api(url, {
    method: "POST",
    headers: writeHeaders({ "content-type": "application/json", "x-upload-form": "true" }),
    body: JSON.stringify(itemBody()),
  });
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
    showBanner(text("too_many_requests"));
  } else if (Array.isArray(body.errors) && body.errors.length) {
    for (const error of body.errors) {
      showError(ERROR_KEYS[error.field] || error.field, error.value);
    }
  } else {
    showBanner(body.message || text("generic_error"));
  }
}

saveButton.addEventListener("click", () => submit("item"));
draftButton.addEventListener("click", () => submit("draft"));

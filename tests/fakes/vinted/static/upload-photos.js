// Photos: uploaded one at a time in the order chosen; a tile `image-wrapper-{i}` per photo.
// A photo still loading or refused shows as a plain tile a person reads.
import { $, api, clearError, el, state, text, updateButtons, writeHeaders } from "./upload-kit.js";
import { recognise } from "./upload-catalog.js";

const MAX_PHOTOS = 20;
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
    photo.node = el("div", { class: "tile loading" }, el("div", { class: "loader" }));
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
  const response = await api("/api/v2/photos", {
    method: "POST",
    headers: writeHeaders({ "x-upload-form": "true" }),
    body: form,
  });
  if (response.ok) {
    photo.id = response.body.id;
    photo.url = response.body.url;
    if (!state.recognised) {
      state.recognised = true;
      await recognise(photo.id);
    }
    photo.status = "done";
    photo.node.replaceWith(photo.node = el("div", {
      class: "tile", "data-testid": `image-wrapper-${photo.index}`,
    }, el("img", { src: photo.url, alt: "" })));
  } else {
    photo.status = "error";
    const message = response.status === 429 ? text("photo_rate_limited") : text("photo_failed");
    photo.node.replaceWith(photo.node = el("div", { class: "tile error", role: "alert" }, message));
  }
  state.uploading -= 1;
  updateButtons();
}

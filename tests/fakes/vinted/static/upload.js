// The upload form of the Vinted replica, driven as on the real page. Its parts are modules, so
// nothing of the form's state is reachable from outside the page's own code.
import "./upload-catalog.js";
import "./upload-photos.js";
import "./upload-form.js";

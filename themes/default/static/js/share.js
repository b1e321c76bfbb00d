// Share block helpers. The page works without this script: share links are plain links and
// the texts are in read-only text areas. With it, each text gets a copy button, and browsers
// that have a share sheet (Web Share API) get a button that opens it.
(() => {
  "use strict";
  if (navigator.clipboard && window.isSecureContext) {
    for (const button of document.querySelectorAll(".copy-button[data-copy]")) {
      button.hidden = false;
      const label = button.textContent;
      button.addEventListener("click", async () => {
        const text = document.getElementById(button.dataset.copy).value;
        try {
          await navigator.clipboard.writeText(text);
          button.textContent = button.dataset.copied;
        } catch (error) {
          document.getElementById(button.dataset.copy).select(); // copy by hand then
          return;
        }
        setTimeout(() => { button.textContent = label; }, 2000);
      });
    }
  }
  const native = document.querySelector(".share-native-button");
  if (native && navigator.share) {
    native.closest(".share-native").hidden = false;
    native.addEventListener("click", () => {
      navigator.share({ title: native.dataset.title, url: native.dataset.url })
        .catch(() => { /* the reader closed the share sheet */ });
    });
  }
})();

// check_in.js: moved out of booking/staff/check_in.html so that the pages run under a
// Content-Security-Policy without 'unsafe-inline' (issue 15, item 10).
(function () {
  var button = document.getElementById("scan"), video = document.getElementById("camera");
  var input = document.getElementById("id_code"), failure = document.getElementById("scan-error");
  var pattern = /[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}/g;
  if (input && !document.querySelector(".result")) input.focus();
  // The browser's own QR reader where there is one; typing the code works everywhere.
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new BarcodeDetector({formats: ["qr_code"]});
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      button.hidden = true;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); };
      var look = function () {
        detector.detect(video).then(function (codes) {
          for (var i = 0; i < codes.length; i++) {
            var found = (codes[i].rawValue || "").toUpperCase().match(pattern);
            if (found) { stop(); input.value = found[found.length - 1]; document.getElementById("code-form").submit(); return; }
          }
          setTimeout(look, 250);
        }).catch(function () { setTimeout(look, 500); });
      };
      look();
    }).catch(function () {
      failure.textContent = failure.dataset.message;
      failure.hidden = false;
    });
  });
})();

// The upload form's progress bar and retries: the form works without this
// script; with it, the upload shows its progress and a broken connection is
// tried again (the form's token makes a retry land once).
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var bar = document.getElementById("progress");
  var state = document.getElementById("upload-state");
  var send = document.getElementById("send");
  var tries = 0;
  function post(data) {
    var x = new XMLHttpRequest();
    x.open("POST", form.action);
    x.upload.onprogress = function (e) {
      if (e.lengthComputable) {
        bar.value = Math.floor(e.loaded * 100 / e.total);
        state.textContent = "已上传 " + bar.value + "%";
      }
    };
    x.onload = function () {
      if (x.status === 200 && x.responseURL) {
        window.location.assign(x.responseURL);
        return;
      }
      var doc = new DOMParser().parseFromString(x.responseText, "text/html");
      var msg = doc.getElementById("upload-error") || doc.querySelector("p");
      state.textContent = "上传未被接收：" + (msg ? msg.textContent : x.status);
      send.disabled = false;
    };
    x.onerror = function () {
      tries++;
      if (tries <= 3) {
        state.textContent = "网络中断，" + (5 * tries) + " 秒后第 " + tries + " 次重试……";
        setTimeout(function () { post(data); }, 5000 * tries);
        return;
      }
      state.textContent = "网络中断，上传没有完成；请检查网络后再点“上传”（同一次上传不会重复收取）。";
      send.disabled = false;
    };
    x.send(data);
  }
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    send.disabled = true;
    bar.hidden = false;
    tries = 0;
    post(new FormData(form));
  });
})();

// The upload form's progress bar, retries and resumable zips. The form works
// without this script; with it, the upload shows its progress, a folder whose
// connection broke is sent again (the form's token makes a retry land once),
// and a zip is sent in chunks (POST /upload/resume, then PUT chunks) that
// resume from the bytes the desk already holds, after a reload too: the page
// keeps the token and the zip's SHA-256 for the same file, and the desk
// verifies the whole by it before it takes the zip.
(function () {
  "use strict";
  var form = document.getElementById("upload");
  if (!form || !window.FormData || !window.XMLHttpRequest) {
    return;
  }
  var bar = document.getElementById("progress");
  var state = document.getElementById("upload-state");
  var send = document.getElementById("send");
  var zipInput = document.getElementById("zip");
  var resumeURL = form.getAttribute("data-resume");
  var chunk = parseInt(form.getAttribute("data-chunk"), 10) || 4 * 1024 * 1024;
  var csrf = form.elements.csrf.value;
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

  // SHA-256 over a file read piece by piece (FIPS 180-4).
  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2]);
  function Sha256() {
    this.h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    this.w = new Uint32Array(64);
    this.buf = new Uint8Array(64);
    this.fill = 0;
    this.bytes = 0;
  }
  Sha256.prototype.blocks = function (d, off, end) {
    var w = this.w, h = this.h, a, b, c, dd, e, f, g, hh, i, t1, t2, x, y;
    for (; off < end; off += 64) {
      for (i = 0; i < 16; i++) {
        w[i] = (d[off + 4 * i] << 24) | (d[off + 4 * i + 1] << 16) | (d[off + 4 * i + 2] << 8) | d[off + 4 * i + 3];
      }
      for (i = 16; i < 64; i++) {
        x = w[i - 15];
        y = w[i - 2];
        w[i] = (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + w[i - 16] +
          (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + w[i - 7];
      }
      a = h[0]; b = h[1]; c = h[2]; dd = h[3]; e = h[4]; f = h[5]; g = h[6]; hh = h[7];
      for (i = 0; i < 64; i++) {
        t1 = (hh + (((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7))) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
        t2 = ((((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10))) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        hh = g; g = f; f = e; e = (dd + t1) | 0; dd = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] += a; h[1] += b; h[2] += c; h[3] += dd; h[4] += e; h[5] += f; h[6] += g; h[7] += hh;
    }
  };
  Sha256.prototype.update = function (d) {
    var off = 0, n = d.length, take, end;
    this.bytes += n;
    if (this.fill > 0) {
      take = Math.min(64 - this.fill, n);
      this.buf.set(d.subarray(0, take), this.fill);
      this.fill += take;
      off = take;
      if (this.fill < 64) {
        return;
      }
      this.blocks(this.buf, 0, 64);
      this.fill = 0;
    }
    end = off + ((n - off) & ~63);
    this.blocks(d, off, end);
    if (end < n) {
      this.buf.set(d.subarray(end), 0);
      this.fill = n - end;
    }
  };
  Sha256.prototype.hex = function () {
    var bits = this.bytes * 8, pad = new Uint8Array((this.fill < 56 ? 64 : 128) - this.fill), l = pad.length, i, s = "";
    var hi = Math.floor(bits / 4294967296), lo = bits >>> 0;
    pad[0] = 0x80;
    for (i = 0; i < 4; i++) {
      pad[l - 8 + i] = (hi >>> (24 - 8 * i)) & 255;
      pad[l - 4 + i] = (lo >>> (24 - 8 * i)) & 255;
    }
    this.update(pad);
    for (i = 0; i < 8; i++) {
      s += ("0000000" + this.h[i].toString(16)).slice(-8);
    }
    return s;
  };

  function readPiece(file, a, b) {
    var blob = file.slice(a, b);
    if (blob.arrayBuffer) {
      return blob.arrayBuffer();
    }
    return new Promise(function (resolve, reject) {
      var r = new FileReader();
      r.onload = function () { resolve(r.result); };
      r.onerror = function () { reject(r.error); };
      r.readAsArrayBuffer(blob);
    });
  }

  // request answers {status, st}: st the desk's JSON, status 0 when the
  // connection broke.
  function request(method, url, body, headers, onprogress) {
    return new Promise(function (resolve) {
      var x = new XMLHttpRequest();
      x.open(method, url);
      x.setRequestHeader("X-CSRF-Token", csrf);
      Object.keys(headers).forEach(function (k) { x.setRequestHeader(k, headers[k]); });
      if (onprogress) {
        x.upload.onprogress = onprogress;
      }
      x.onload = function () {
        var st;
        try {
          st = JSON.parse(x.responseText);
        } catch (e) {
          st = { error: "服务器返回 " + x.status };
        }
        resolve({ status: x.status, st: st });
      };
      x.onerror = function () { resolve({ status: 0, st: {} }); };
      x.send(body);
    });
  }

  function wait(ms) {
    return new Promise(function (resolve) { setTimeout(resolve, ms); });
  }

  function stop(msg) {
    state.textContent = msg;
    send.disabled = false;
  }

  async function sendZip(file) {
    var key = "yanshou-upload:" + file.name + ":" + file.size + ":" + file.lastModified;
    var saved = null;
    try {
      saved = JSON.parse(window.localStorage.getItem(key));
    } catch (e) {
      saved = null;
    }
    var token = saved && saved.token || form.elements.token.value;
    var sum = saved && saved.sha256;
    var off, r, a, b, broken = 0;
    if (!sum) {
      var h = new Sha256();
      for (off = 0; off < file.size; off += chunk) {
        h.update(new Uint8Array(await readPiece(file, off, Math.min(off + chunk, file.size))));
        bar.value = Math.floor(off * 100 / file.size);
        state.textContent = "正在计算校验值 " + bar.value + "%";
      }
      sum = h.hex();
      try {
        window.localStorage.setItem(key, JSON.stringify({ token: token, sha256: sum }));
      } catch (e) { /* no storage: the upload still goes, a reload starts it over */ }
    }
    var declare = new URLSearchParams({ token: token, name: file.name, size: String(file.size), sha256: sum });
    r = await request("POST", resumeURL, declare.toString(), { "Content-Type": "application/x-www-form-urlencoded" });
    for (;;) {
      if (r.status === 0 || r.status >= 500) {
        broken++;
        if (broken > 20) {
          stop("网络中断，上传没有完成；请检查网络后再点“上传”，将从已上传的部分继续。");
          return;
        }
        state.textContent = "网络中断，" + Math.min(5 * broken, 60) + " 秒后继续……";
        await wait(Math.min(5000 * broken, 60000));
        r = await request("POST", resumeURL, declare.toString(), { "Content-Type": "application/x-www-form-urlencoded" });
        continue;
      }
      if (r.st.done) {
        try {
          window.localStorage.removeItem(key);
        } catch (e) { /* nothing kept */ }
        window.location.assign(r.st.location || "/upload");
        return;
      }
      if (r.status !== 200 && r.status !== 409 && !(r.status === 400 && r.st.offset > 0)) {
        if (r.status === 422 || r.status === 404) {
          try {
            window.localStorage.removeItem(key);
          } catch (e) { /* nothing kept */ }
        }
        stop("上传未被接收：" + (r.st.error || r.status));
        return;
      }
      a = r.st.offset || 0;
      b = Math.min(a + chunk, file.size);
      bar.value = Math.floor(a * 100 / file.size);
      state.textContent = "已上传 " + bar.value + "%";
      var piece = await readPiece(file, a, b);
      r = await request("PUT", resumeURL + "/" + encodeURIComponent(token), piece,
        { "Content-Range": "bytes " + a + "-" + (b - 1) + "/" + file.size, "Content-Type": "application/octet-stream" },
        function (e) {
          bar.value = Math.floor((a + e.loaded) * 100 / file.size);
          state.textContent = "已上传 " + bar.value + "%";
        });
      if (r.status === 200) {
        broken = 0;
      }
    }
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    send.disabled = true;
    bar.hidden = false;
    tries = 0;
    var file = zipInput && zipInput.files && zipInput.files[0];
    if (file && resumeURL && window.Promise && window.Uint8Array) {
      sendZip(file).catch(function (err) { stop("上传没有完成：" + err); });
      return;
    }
    post(new FormData(form));
  });
})();

// The charter's signature pad: a canvas drawn with a finger, a stylus or a mouse (pointer events).
// It hands a PNG data URL to the roster's queue, so a signature made offline is sent with the marks.
(function () {
  'use strict';
  var dialog = document.getElementById('charter-dialog');
  if (!dialog) return;
  var canvas = document.getElementById('signature-pad');
  var context = canvas.getContext('2d');
  var error = document.getElementById('pad-error');
  var guardianId = null;
  var drawing = false;
  var inked = 0;
  var last = null;

  function point(event) {
    var rect = canvas.getBoundingClientRect();
    return {x: (event.clientX - rect.left) * canvas.width / rect.width,
            y: (event.clientY - rect.top) * canvas.height / rect.height};
  }

  function clear() {
    context.clearRect(0, 0, canvas.width, canvas.height);
    inked = 0;
    error.hidden = true;
  }

  canvas.addEventListener('pointerdown', function (event) {
    event.preventDefault();
    canvas.setPointerCapture(event.pointerId);
    drawing = true;
    // drawing answers the "empty" message: it goes as soon as the pen touches the pad
    error.hidden = true;
    last = point(event);
    context.fillStyle = '#111';
    context.beginPath();
    context.arc(last.x, last.y, 2, 0, Math.PI * 2);
    context.fill();
  });
  canvas.addEventListener('pointermove', function (event) {
    if (!drawing) return;
    var p = point(event);
    context.strokeStyle = '#111';
    context.lineWidth = 4;
    context.lineCap = 'round';
    context.lineJoin = 'round';
    context.beginPath();
    context.moveTo(last.x, last.y);
    context.lineTo(p.x, p.y);
    context.stroke();
    inked += Math.abs(p.x - last.x) + Math.abs(p.y - last.y);
    last = p;
  });
  ['pointerup', 'pointercancel', 'pointerleave'].forEach(function (name) {
    canvas.addEventListener(name, function () { drawing = false; });
  });

  document.getElementById('pad-clear').addEventListener('click', clear);
  document.getElementById('pad-cancel').addEventListener('click', function () { dialog.close(); });
  document.getElementById('pad-save').addEventListener('click', function () {
    if (inked < 20) {
      error.hidden = false;
      return;
    }
    window.SesameQueueSignature(guardianId, canvas.toDataURL('image/png'));
    dialog.close();
  });

  window.SesamePad = {
    open: function (id, name) {
      guardianId = id;
      document.getElementById('charter-who').textContent = name || '';
      // The charter in the guardian's language (the line's data-lang), else the page's.
      var line = document.getElementById('g-' + id);
      var lang = line && line.dataset.lang;
      var blocks = dialog.querySelectorAll('.charter-lang');
      var shown = null;
      var page = document.documentElement.lang;
      blocks.forEach(function (b) { if (b.dataset.lang === lang) shown = b; });
      if (!shown) blocks.forEach(function (b) { if (b.dataset.lang === page) shown = b; });
      if (!shown) shown = blocks[0];
      blocks.forEach(function (b) { b.hidden = b !== shown; });
      if (shown) dialog.setAttribute('aria-labelledby', shown.querySelector('h2').id);
      clear();
      if (!dialog.open) dialog.showModal();
    }
  };
})();

// Packet traces (labgen TraceView): links each field of the tree to its bytes in the hex dump.
// Hovering or focusing a field lights its bytes; hovering or focusing a byte lights the
// innermost field that contains it. Without this script the page still shows every offset.
(function () {
  'use strict';

  function setup(section) {
    // Each block links this script; set each packet up once however many copies run.
    if (section.hasAttribute('data-trace-ready')) return;
    section.setAttribute('data-trace-ready', '');
    var fields = Array.prototype.slice.call(section.querySelectorAll('.trace-field[data-offset]'));
    var bytes = Array.prototype.slice.call(section.querySelectorAll('.trace-hex [data-i]'));
    var hexBytes = bytes.filter(function (b) { return !b.closest('.trace-ascii'); });
    var byIndex = {};
    bytes.forEach(function (b) {
      var i = b.getAttribute('data-i');
      (byIndex[i] = byIndex[i] || []).push(b);
    });
    var lit = [];

    function clear() {
      lit.forEach(function (e) { e.classList.remove('trace-on'); });
      lit = [];
    }

    function light(el) {
      clear();
      if (!el) return;
      var off = +el.getAttribute('data-offset');
      var len = +el.getAttribute('data-length');
      el.classList.add('trace-on');
      lit.push(el);
      for (var i = off; i < off + len; i++) {
        (byIndex[i] || []).forEach(function (b) { b.classList.add('trace-on'); lit.push(b); });
      }
    }

    // The smallest field covering byte i; on a tie the later one, which is the deeper.
    function innermost(i) {
      var best = null;
      fields.forEach(function (f) {
        var off = +f.getAttribute('data-offset');
        var len = +f.getAttribute('data-length');
        if (len > 0 && off <= i && i < off + len &&
            (best === null || len <= +best.getAttribute('data-length'))) { best = f; }
      });
      return best;
    }

    function fromByte(b) {
      var f = innermost(+b.getAttribute('data-i'));
      light(f);
      (byIndex[b.getAttribute('data-i')] || []).forEach(function (x) {
        if (lit.indexOf(x) < 0) { x.classList.add('trace-on'); lit.push(x); }
      });
      return f;
    }

    function target(e) {
      var t = e.target;
      if (!t || !t.closest) return null;
      var b = t.closest('.trace-hex [data-i]');
      if (b) return { byte: b };
      var f = t.closest('[data-offset]');
      return f && section.contains(f) ? { field: f } : null;
    }

    function onEnter(e) {
      var t = target(e);
      if (!t) return;
      if (t.byte) fromByte(t.byte); else light(t.field);
    }

    section.addEventListener('mouseover', onEnter);
    section.addEventListener('focusin', onEnter);
    section.addEventListener('mouseleave', clear);
    section.addEventListener('focusout', function (e) {
      if (!e.relatedTarget || !section.contains(e.relatedTarget)) clear();
    });

    // Roving focus in the hex dump: one tab stop, arrows move byte by byte (16 per row),
    // Enter opens the innermost field in the tree and moves focus to it.
    hexBytes.forEach(function (b, k) { b.setAttribute('tabindex', k === 0 ? '0' : '-1'); });
    section.addEventListener('keydown', function (e) {
      var b = e.target.closest && e.target.closest('.trace-hex [data-i]');
      var k = b ? hexBytes.indexOf(b) : -1;
      if (k < 0) return;
      var step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: 16, ArrowUp: -16, Home: -k, End: hexBytes.length - 1 - k }[e.key];
      if (step !== undefined) {
        var n = Math.max(0, Math.min(hexBytes.length - 1, k + step));
        b.setAttribute('tabindex', '-1');
        hexBytes[n].setAttribute('tabindex', '0');
        hexBytes[n].focus();
        e.preventDefault();
      } else if (e.key === 'Enter') {
        var f = innermost(+b.getAttribute('data-i'));
        if (!f) return;
        for (var p = f; p && p !== section; p = p.parentElement) {
          if (p.tagName === 'DETAILS') p.open = true;
        }
        var focusable = f.tagName === 'DETAILS' ? f.querySelector('summary') : f;
        focusable.focus();
        e.preventDefault();
      }
    });
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll('.trace-packet'), setup);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
  // `labgen serve` updates an open page in place: the new packets are set up too.
  document.addEventListener('labgen:content', init);
})();

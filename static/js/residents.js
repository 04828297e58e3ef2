/* Residents registry: building maps, the point picker, and early hints on the resident form.
 * No inline scripts (CSP); server data arrives through json_script elements and is put into
 * the DOM with textContent, never as HTML. gettext() comes from Django's /jsi18n/ catalogue.
 */
(function () {
  "use strict";

  function readJson(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function outlineLayer(map, id) {
    var outline = readJson(id);
    if (!outline) return null;
    return L.geoJSON(outline, {style: {color: "#0b4f8a", weight: 2, dashArray: "6 4", fillOpacity: 0.05},
                               interactive: false}).addTo(map);
  }

  // A grid's buildings as markers, each with a popup linking to the building.
  function buildings(map) {
    var container = map.getContainer();
    var points = readJson(container.dataset.pointsId) || [];
    var bounds = L.latLngBounds([]);
    var outline = outlineLayer(map, container.dataset.outlineId);
    if (outline) bounds.extend(outline.getBounds());
    points.forEach(function (p) {
      var marker = L.circleMarker([p.lat, p.lng], {radius: 8, color: "#0b4f8a", weight: 2, fillColor: "#2f7cc0", fillOpacity: 0.8});
      marker.bindPopup(el("div", {}, [
        el("div", {"class": "fw-semibold", text: p.name}),
        el("div", {"class": "small", text: interpolate(gettext("%s houses, %s residents"), [p.houses, p.residents])}),
        el("a", {"href": p.url, "class": "small", text: gettext("Open")})
      ]));
      marker.bindTooltip(p.name, {direction: "top"});
      marker.addTo(map);
      bounds.extend(marker.getLatLng());
    });
    if (bounds.isValid()) map.fitBounds(bounds, {padding: [16, 16], maxZoom: 18});
    container.dataset.loaded = String(points.length);
  }

  // Tap the map (or use the phone's location) to set the hidden latitude/longitude inputs.
  function picker(map) {
    var container = map.getContainer();
    var lat = document.getElementById(container.dataset.lat);
    var lng = document.getElementById(container.dataset.lng);
    var label = document.querySelector("[data-point-label]");
    var marker = null;
    var bounds = L.latLngBounds([]);
    var outline = outlineLayer(map, container.dataset.outlineId);
    if (outline) bounds.extend(outline.getBounds());
    function place(latlng, pan) {
      if (marker) marker.setLatLng(latlng); else marker = L.marker(latlng).addTo(map);
      lat.value = latlng.lat.toFixed(7);
      lng.value = latlng.lng.toFixed(7);
      if (label) label.textContent = lat.value + ", " + lng.value;
      if (pan) map.setView(latlng, Math.max(map.getZoom(), 17));
    }
    if (lat.value && lng.value) {
      var start = L.latLng(parseFloat(lat.value), parseFloat(lng.value));
      place(start, false);
      bounds.extend(start);
    }
    if (bounds.isValid()) map.fitBounds(bounds, {padding: [12, 12], maxZoom: 18});
    map.on("click", function (e) { place(e.latlng, false); });
    var button = document.querySelector("[data-locate='" + container.id + "']");
    if (button && navigator.geolocation) {
      button.addEventListener("click", function () {
        button.disabled = true;
        navigator.geolocation.getCurrentPosition(function (pos) {
          button.disabled = false;
          place(L.latLng(pos.coords.latitude, pos.coords.longitude), true);
        }, function () {
          button.disabled = false;
          if (label) label.textContent = gettext("Your location is not available; tap the map instead.");
        }, {enableHighAccuracy: true, timeout: 10000});
      });
    } else if (button) {
      button.hidden = true;
    }
  }

  // GB 11643 check, mirrored from residents/identity.py so the worker sees a mistake while
  // typing. The server checks again; this is only a hint.
  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK = "10X98765432";
  function idProblem(value) {
    var text = value.replace(/\s/g, "").toUpperCase();
    if (!text) return "";
    if (/[^\x00-\x7F]/.test(text)) return gettext("Use ordinary (half-width) digits.");
    if (text.length !== 18) return interpolate(gettext("%s of 18 characters"), [text.length]);
    if (!/^\d{17}[\dX]$/.test(text)) return gettext("17 digits, then a digit or X.");
    var y = +text.slice(6, 10), m = +text.slice(10, 12), d = +text.slice(12, 14);
    var born = new Date(y, m - 1, d);
    if (born.getFullYear() !== y || born.getMonth() !== m - 1 || born.getDate() !== d) {
      return gettext("The birth date in the number does not exist.");
    }
    if (born > new Date()) return gettext("The birth date in the number is in the future.");
    var sum = 0;
    for (var i = 0; i < 17; i++) sum += (+text[i]) * WEIGHTS[i];
    if (CHECK[sum % 11] !== text[17]) return gettext("The check digit does not match: a character was probably mistyped.");
    return "";
  }

  function idHint(input) {
    var hint = input.parentNode.querySelector(".id-hint");
    if (!hint) {
      hint = el("div", {"class": "form-text id-hint", "aria-live": "polite"});
      input.insertAdjacentElement("afterend", hint);
    }
    var type = document.getElementById("id_document_type");
    if (type && type.value !== "id_card") { hint.textContent = ""; return; }
    var problem = idProblem(input.value);
    var complete = input.value.replace(/\s/g, "").length === 18;
    hint.textContent = problem;
    hint.classList.toggle("text-danger", !!problem && complete);
    if (!problem && complete) {
      var t = input.value.replace(/\s/g, "");
      hint.textContent = interpolate(gettext("Born %s-%s-%s, %s"), [t.slice(6, 10), t.slice(10, 12), t.slice(12, 14),
        (+t[16]) % 2 ? gettext("male") : gettext("female")]);
    }
  }

  // Fields that only matter for permits and passports hide while a mainland ID is chosen.
  function toggleForeign(form) {
    var type = form.querySelector("#id_document_type");
    if (!type) return;
    ["id_nationality", "id_sex", "id_birth_date"].forEach(function (id) {
      var field = document.getElementById(id);
      var group = field && field.closest(".mb-3");
      if (group && !group.querySelector(".invalid-feedback")) group.hidden = type.value === "id_card";
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("[data-id-number]")) idHint(event.target);
  });
  document.addEventListener("change", function (event) {
    if (event.target.id === "id_document_type") {
      var form = event.target.form;
      toggleForeign(form);
      var id = form.querySelector("[data-id-number]");
      if (id) idHint(id);
    }
  });
  document.querySelectorAll("[data-resident-form]").forEach(toggleForeign);

  window.ResidentsMap = {buildings: buildings, picker: picker};
})();

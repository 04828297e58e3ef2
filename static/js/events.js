/* The event report form: pick a service item (search, recent first), place the event on the
 * map or with the browser's location, see the grid and the open events of the same item nearby.
 * Started by django-leaflet's {% leaflet_map ... callback="window.GovEvents.reportMap" %}.
 * No inline script (content security policy); server text is inserted as returned HTML from
 * our own endpoint (a Django template, escaped) or with textContent.
 */
(function () {
  "use strict";

  // Filter the options of the item list as the user types (name, code or category).
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("[data-item-search]")) return;
    var select = document.querySelector(input.dataset.itemSearch);
    if (!select) return;
    var needle = input.value.trim().toLowerCase();
    var first = null;
    Array.prototype.forEach.call(select.options, function (option) {
      var hit = !needle || (option.dataset.search || option.text).toLowerCase().indexOf(needle) !== -1;
      option.hidden = !hit;
      if (hit && !first) first = option;
    });
    Array.prototype.forEach.call(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !Array.prototype.some.call(group.children, function (o) { return !o.hidden; });
    });
    if (needle && first && (select.selectedIndex < 0 || select.options[select.selectedIndex].hidden)) {
      first.selected = true;
      select.dispatchEvent(new Event("change", {bubbles: true}));
    }
  });

  function reportMap(map) {
    var container = map.getContainer();
    var form = document.getElementById("report-form");
    var latInput = document.getElementById(container.dataset.lat);
    var lngInput = document.getElementById(container.dataset.lng);
    var status = document.getElementById("grid-status");
    var nearby = document.getElementById("nearby");
    var item = document.getElementById("id_item");
    var marker = null;

    function place(lat, lng, pan) {
      if (marker) marker.setLatLng([lat, lng]);
      else marker = L.marker([lat, lng], {draggable: true}).addTo(map).on("dragend", function () {
        var p = marker.getLatLng();
        set(p.lat, p.lng, false);
      });
      if (pan) map.setView([lat, lng], Math.max(map.getZoom(), 16));
    }

    function set(lat, lng, pan) {
      latInput.value = lat.toFixed(6);
      lngInput.value = lng.toFixed(6);
      place(lat, lng, pan);
      refresh();
    }

    function refresh() {
      var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
      if (isNaN(lat) || isNaN(lng)) return;
      if (form.dataset.locateUrl) {
        fetch(form.dataset.locateUrl + "?lat=" + lat + "&lng=" + lng, {credentials: "same-origin", headers: {"Accept": "application/json"}})
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (grid) {
            status.textContent = grid ? interpolate(gettext("Grid: %s"), [grid.name]) : gettext("This place lies in no grid you may report in.");
            status.classList.toggle("text-danger", !grid);
          })
          .catch(function () { status.textContent = ""; });
      } else {
        status.textContent = interpolate(gettext("Placed at %s, %s"), [lat.toFixed(5), lng.toFixed(5)]);
      }
      if (form.dataset.nearbyUrl && item && item.value) {
        fetch(form.dataset.nearbyUrl + "?item=" + encodeURIComponent(item.value) + "&lat=" + lat + "&lng=" + lng, {credentials: "same-origin"})
          .then(function (r) { return r.ok ? r.text() : ""; })
          .then(function (html) { nearby.innerHTML = html; })
          .catch(function () { nearby.textContent = ""; });
      }
    }

    map.on("click", function (e) { set(e.latlng.lat, e.latlng.lng, false); });
    [latInput, lngInput].forEach(function (input) {
      input.addEventListener("change", function () {
        var lat = parseFloat(latInput.value), lng = parseFloat(lngInput.value);
        if (!isNaN(lat) && !isNaN(lng)) { place(lat, lng, true); refresh(); }
      });
    });
    if (item) item.addEventListener("change", refresh);

    var locate = document.getElementById("locate-me");
    if (locate) {
      locate.addEventListener("click", function () {
        if (!navigator.geolocation) { status.textContent = gettext("This browser cannot tell its location."); return; }
        status.textContent = gettext("Locating…");
        navigator.geolocation.getCurrentPosition(function (pos) {
          set(pos.coords.latitude, pos.coords.longitude, true);
        }, function () {
          status.textContent = gettext("The location is not available: tap the map instead.");
        }, {enableHighAccuracy: true, timeout: 10000});
      });
    }
    var lat0 = parseFloat(latInput.value), lng0 = parseFloat(lngInput.value);
    if (!isNaN(lat0) && !isNaN(lng0)) { place(lat0, lng0, true); refresh(); }
  }

  window.GovEvents = {reportMap: reportMap};
})();

/* Maps of the territory, started by django-leaflet's {% leaflet_map ... callback=... %}.
 *
 * GovMap.territory: grids from the element's data-layer-url (GeoJSON), coloured by community,
 *   with a popup per grid; optional outlines of parent areas from a json_script element.
 * GovMap.boundaryEditor: draw or edit one area's boundary with Leaflet.draw, showing the parent
 *   (dashed) and the siblings (grey); the result goes to a hidden input as GeoJSON.
 *
 * Text from the server is put into the DOM with textContent, never as HTML.
 */
(function () {
  "use strict";
  // gettext and interpolate come from Django's JavaScript catalogue (/jsi18n/), loaded first.

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }

  function readJsonScript(id) {
    var node = id && document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function popupFor(props) {
    var workers = props.workers && props.workers.length ? props.workers.join("、") : gettext("no grid worker");
    return el("div", {"class": "grid-popup"}, [
      el("div", {"class": "fw-semibold", text: props.name}),
      el("div", {"class": "small font-monospace", text: props.code}),
      el("div", {"class": "small", text: gettext("Community") + ": " + props.community}),
      props.grid_type ? el("div", {"class": "small", text: props.grid_type}) : null,
      el("div", {"class": "small", text: gettext("Grid workers") + ": " + workers}),
      props.url ? el("a", {"href": props.url, "class": "small", text: gettext("Details")}) : null
    ]);
  }

  function legendControl(entries) {
    var control = L.control({position: "bottomright"});
    control.onAdd = function () {
      var box = el("div", {"class": "map-legend leaflet-bar d-none d-md-block"});
      box.appendChild(el("div", {"class": "fw-semibold small mb-1", text: gettext("Communities")}));
      entries.forEach(function (e) {
        var swatch = el("span", {"class": "legend-swatch"});
        swatch.style.backgroundColor = e.colour;
        box.appendChild(el("div", {"class": "small"}, [swatch, document.createTextNode(" " + e.name)]));
      });
      L.DomEvent.disableScrollPropagation(box);
      return box;
    };
    return control;
  }

  function showStatus(container, text) {
    var target = container.dataset.status && document.getElementById(container.dataset.status);
    if (target) target.textContent = text;
  }

  function territory(map) {
    var container = map.getContainer();
    var outlines = readJsonScript(container.dataset.outlinesId);
    var bounds = L.latLngBounds([]);
    var outlineLayer = null;
    if (outlines && outlines.features.length) {
      outlineLayer = L.geoJSON(outlines, {
        style: {color: "#333", weight: 2, dashArray: "6 4", fill: false}, interactive: false
      }).addTo(map);
      bounds.extend(outlineLayer.getBounds());
    }
    fetch(container.dataset.layerUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          style: function (f) {
            return {color: f.properties.colour, weight: 1.5, fillColor: f.properties.colour, fillOpacity: 0.35};
          },
          onEachFeature: function (f, lyr) {
            lyr.bindPopup(popupFor(f.properties));
            lyr.bindTooltip(f.properties.name, {sticky: true, direction: "top"});
          }
        }).addTo(map);
        if (outlineLayer) outlineLayer.bringToFront();  // parent outlines over the grids
        if (data.features.length) bounds.extend(layer.getBounds());
        if (bounds.isValid()) map.fitBounds(bounds, {padding: [12, 12], animate: false});
        if (container.dataset.legend === "community") {
          var seen = {}, entries = [];
          data.features.forEach(function (f) {
            var p = f.properties;
            if (!seen[p.community_code]) { seen[p.community_code] = 1; entries.push({name: p.community, colour: p.colour}); }
          });
          if (entries.length) legendControl(entries).addTo(map);
        }
        showStatus(container, interpolate(gettext("%s grids shown"), [data.features.length]));
        container.dataset.loaded = String(data.features.length);
        if (!data.features.length && !(outlines && outlines.features.length)) {
          container.appendChild(el("div", {"class": "map-empty", text: gettext("No grid boundary to show yet.")}));
        }
      })
      .catch(function () {
        showStatus(container, gettext("The map layer could not be loaded."));
        container.dataset.loaded = "error";
      });
  }

  function toMultiGeometry(group) {
    var polygons = [];
    group.eachLayer(function (layer) {
      var g = layer.toGeoJSON().geometry;
      if (g.type === "Polygon") polygons.push(g.coordinates);
      else if (g.type === "MultiPolygon") polygons = polygons.concat(g.coordinates);
    });
    if (!polygons.length) return null;
    return polygons.length === 1 ? {type: "Polygon", coordinates: polygons[0]}
                                 : {type: "MultiPolygon", coordinates: polygons};
  }

  function boundaryEditor(map) {
    var container = map.getContainer();
    var input = document.getElementById(container.dataset.input);
    var mirror = document.querySelector("[data-mirror='" + input.id + "']");
    var bounds = L.latLngBounds([]);
    var parent = readJsonScript(container.dataset.parentId);
    var siblings = readJsonScript(container.dataset.siblingsId);
    if (parent && parent.features.length) {
      var p = L.geoJSON(parent, {style: {color: "#333", weight: 2, dashArray: "6 4", fill: false}, interactive: false}).addTo(map);
      bounds.extend(p.getBounds());
    }
    if (siblings && siblings.features.length) {
      L.geoJSON(siblings, {
        style: {color: "#777", weight: 1, fillColor: "#999", fillOpacity: 0.2},
        onEachFeature: function (f, lyr) { lyr.bindTooltip(f.properties.name); }
      }).addTo(map);
    }
    var editable = new L.FeatureGroup().addTo(map);
    if (input.value) {
      try {
        L.geoJSON(JSON.parse(input.value)).eachLayer(function (layer) {
          // MultiPolygons arrive as one layer; split them so each part can be edited.
          if (layer.feature.geometry.type === "MultiPolygon") {
            layer.feature.geometry.coordinates.forEach(function (coords) {
              editable.addLayer(L.polygon(L.GeoJSON.coordsToLatLngs(coords, 1)));
            });
          } else {
            editable.addLayer(layer);
          }
        });
      } catch (e) { /* invalid text stays in the input for the server to explain */ }
    }
    if (editable.getLayers().length) bounds = editable.getBounds().extend(bounds);
    if (bounds.isValid()) map.fitBounds(bounds, {padding: [12, 12], animate: false});
    editable.setStyle && editable.setStyle({color: "#0b4f8a", weight: 2, fillOpacity: 0.3});

    map.addControl(new L.Control.Draw({
      edit: {featureGroup: editable},
      draw: {polyline: false, circle: false, circlemarker: false, marker: false,
             polygon: {allowIntersection: false, showArea: true}, rectangle: {}}
    }));
    function sync() {
      var geometry = toMultiGeometry(editable);
      input.value = geometry ? JSON.stringify(geometry) : "";
      if (mirror) mirror.value = input.value;
    }
    map.on(L.Draw.Event.CREATED, function (e) { editable.addLayer(e.layer); sync(); });
    map.on(L.Draw.Event.EDITED, sync);
    map.on(L.Draw.Event.DELETED, sync);
    if (mirror) {
      mirror.value = input.value;
      mirror.addEventListener("input", function () { input.value = mirror.value; });
    }
  }

  window.GovMap = {territory: territory, boundaryEditor: boundaryEditor};
})();

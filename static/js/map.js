// Maps (issue 21): the place picker of the forms and the map view of the lists.
// Everything here only enhances: without JavaScript (or when Leaflet or the GSI
// tiles cannot load) the landmark menu and the list by 区 do the same work.
// CSP-clean: no inline script or style attributes, no eval; text goes in as text.
(() => {
  "use strict";

  // The 1/4 地域メッシュ (JIS X 0410) of a point and its centre, as the server
  // computes it (komoro_engage/core/mesh.py), so the preview shows what the public will see.
  function quarterMesh(lat, lon) {
    const row = Math.floor(lat * 480), col = Math.floor((lon - 100) * 320);
    const pad = (n) => String(n).padStart(2, "0");
    const code = pad(Math.floor(row / 320)) + pad(Math.floor(col / 320)) +
      Math.floor((row % 320) / 40) + Math.floor((col % 320) / 40) +
      Math.floor((row % 40) / 4) + Math.floor((col % 40) / 4) +
      (1 + 2 * Math.floor((row % 4) / 2) + Math.floor((col % 4) / 2)) +
      (1 + 2 * (row % 2) + (col % 2));
    return {
      code,
      south: row / 480, north: (row + 1) / 480,
      west: 100 + col / 320, east: 100 + (col + 1) / 320,
      centre: [(row + 0.5) / 480, 100 + (col + 0.5) / 320],
    };
  }

  function baseMap(element) {
    element.hidden = false;
    const map = L.map(element, { scrollWheelZoom: false });
    const tiles = L.tileLayer(element.dataset.tiles, {
      attribution: element.dataset.attribution, maxZoom: 18, minZoom: 10,
    });
    const message = element.parentElement.querySelector("[data-map-tile-error]");
    tiles.on("tileerror", () => { if (message) message.hidden = false; });
    tiles.addTo(map);
    map.setView(JSON.parse(element.dataset.centre), 13);
    if (element.dataset.label) element.setAttribute("aria-label", element.dataset.label);
    return map;
  }

  function nearest(items, lat, lon) {
    const scale = Math.cos(lat * Math.PI / 180);
    let best = null, bestDistance = Infinity;
    for (const item of items) {
      const d = (item.lat - lat) ** 2 + ((item.lon - lon) * scale) ** 2;
      if (d < bestDistance) { best = item; bestDistance = d; }
    }
    return best;
  }

  function setupPicker(element) {
    const form = element.closest("form");
    const latField = form.querySelector("[data-map-latitude]");
    const lonField = form.querySelector("[data-map-longitude]");
    const landmarkSelect = form.querySelector("select[name=landmark]");
    // A proposal's select says "d<id>" (a district) or "k<district>-<ku>"; a project's "<id>".
    const placeSelect = form.querySelector("select[name=place], select[name=district]");
    const districtValue = (id) => (placeSelect.name === "place" ? "d" + id : id);
    const preview = form.querySelector("[data-map-preview]");
    const clear = form.querySelector("[data-map-clear]");
    const landmarks = JSON.parse(element.dataset.landmarks);
    const districts = JSON.parse(element.dataset.districts);
    const map = baseMap(element);
    const layer = L.layerGroup().addTo(map);

    function showPoint(lat, lon) {
      const mesh = quarterMesh(lat, lon);
      layer.clearLayers();
      L.rectangle([[mesh.south, mesh.west], [mesh.north, mesh.east]], { weight: 1 }).addTo(layer);
      L.circleMarker([lat, lon], { radius: 5 }).addTo(layer);
      preview.textContent = element.dataset.previewMesh.replace("{code}", mesh.code);
      clear.hidden = false;
    }
    function showLandmark(landmark) {
      layer.clearLayers();
      L.circleMarker([landmark.lat, landmark.lon], { radius: 8 }).addTo(layer);
      preview.textContent = element.dataset.previewLandmark.replace("{name}", landmark.name);
      map.panTo([landmark.lat, landmark.lon]);
      clear.hidden = false;
    }
    function reset() {
      layer.clearLayers();
      latField.value = lonField.value = "";
      preview.textContent = "";
      clear.hidden = true;
    }

    map.on("click", (event) => {
      const { lat, lng } = event.latlng;
      latField.value = lat.toFixed(6);
      lonField.value = lng.toFixed(6);
      if (landmarkSelect) landmarkSelect.value = "";
      const district = nearest(districts, lat, lng);
      // Suggest the nearest district unless the author already chose it or one of its 区.
      if (placeSelect && district && !placeSelect.value.startsWith("k" + district.id + "-")) {
        placeSelect.value = districtValue(district.id);
      }
      showPoint(lat, lng);
    });
    if (landmarkSelect) {
      landmarkSelect.addEventListener("change", () => {
        const landmark = landmarks.find((item) => item.id === landmarkSelect.value);
        reset();
        if (landmark) showLandmark(landmark);
      });
    }
    clear.addEventListener("click", () => { reset(); if (landmarkSelect) landmarkSelect.value = ""; });

    const chosen = landmarks.find((item) => landmarkSelect && item.id === landmarkSelect.value);
    if (chosen) showLandmark(chosen);
    else if (latField.value && lonField.value) {
      showPoint(Number(latField.value), Number(lonField.value));
      map.setView([Number(latField.value), Number(lonField.value)], 15);
    }
  }

  // One marker per group the server made (items within one 1 km mesh): a link to the
  // item when alone, otherwise a button opening a popup of links. Real links and
  // buttons, so Tab reaches every marker and screen readers read the titles.
  function markerIcon(group) {
    const wrap = document.createElement("div");
    if (group.items.length === 1) {
      const link = document.createElement("a");
      link.href = group.items[0].url;
      link.className = "map-marker";
      link.textContent = group.items[0].title;
      wrap.append(link);
    } else {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "map-marker map-cluster";
      button.textContent = group.label;
      wrap.append(button);
    }
    return L.divIcon({ html: wrap, className: "map-marker-wrap", iconSize: null });
  }

  function popupList(group) {
    const list = document.createElement("ul");
    for (const item of group.items) {
      const link = document.createElement("a");
      link.href = item.url;
      link.textContent = item.title;
      const entry = document.createElement("li");
      entry.append(link);
      list.append(entry);
    }
    return list;
  }

  function setupView(element) {
    const groups = JSON.parse(element.dataset.markers);
    const map = baseMap(element);
    const bounds = [];
    for (const group of groups) {
      const marker = L.marker([group.lat, group.lon], {
        icon: markerIcon(group), keyboard: false, title: group.label, alt: group.label,
      }).addTo(map);
      bounds.push([group.lat, group.lon]);
      if (group.items.length > 1) {
        marker.bindPopup(popupList(group));
        marker.on("popupopen", (event) => {
          const first = event.popup.getElement().querySelector("a");
          if (first) first.focus();
        });
      }
    }
    if (bounds.length) map.fitBounds(bounds, { maxZoom: 15, padding: [24, 24] });
  }

  document.addEventListener("DOMContentLoaded", () => {
    if (typeof L === "undefined") return; // Leaflet did not load: the lists remain
    document.querySelectorAll("[data-map-pick]").forEach(setupPicker);
    document.querySelectorAll("[data-map-view]").forEach(setupView);
  });
  // The filter form swaps new results in with htmx: a new map comes with them.
  document.addEventListener("htmx:afterSwap", () => {
    if (typeof L === "undefined") return;
    document.querySelectorAll("[data-map-view]:not(.leaflet-container)").forEach(setupView);
  });
})();


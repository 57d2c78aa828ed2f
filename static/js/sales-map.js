// The sales points' map (catalogue/sales_points.html): pins read from the list's own
// cards (data-lat, data-lng), tiles from the server the site names (MAP_TILE_URL). Without
// this script, or without tiles, the list is the whole page; a tile server that does not
// answer leaves the pins and says so.
(function () {
  var box = document.getElementById("sales-map");
  if (!box || typeof L === "undefined") return;
  var cards = Array.prototype.filter.call(
    document.querySelectorAll(".sales-point[data-lat]"),
    function (card) { return isFinite(parseFloat(card.dataset.lat)) && isFinite(parseFloat(card.dataset.lng)); }
  );
  if (!cards.length) return;
  box.classList.remove("d-none");

  // The attribution is the operator's text, shown as text (Leaflet writes it as HTML).
  var text = document.createElement("span");
  text.textContent = box.dataset.attribution || "";
  var map = L.map(box, { scrollWheelZoom: false });
  var tiles = L.tileLayer(box.dataset.tiles, { attribution: text.innerHTML, maxZoom: 19 }).addTo(map);
  var warned = false;
  tiles.on("tileerror", function () {
    if (warned) return;
    warned = true;
    document.getElementById("map-unavailable").classList.remove("d-none");
  });
  var icon = L.icon({
    iconUrl: box.dataset.icon, iconRetinaUrl: box.dataset.icon2x, shadowUrl: box.dataset.shadow,
    iconSize: [25, 41], iconAnchor: [12, 41], popupAnchor: [1, -34], shadowSize: [41, 41]
  });

  function popup(card) {
    // Built as nodes, never as HTML: names and addresses are typed by people.
    var body = document.createElement("div");
    var name = document.createElement("strong");
    name.textContent = card.dataset.name;
    var address = document.createElement("div");
    address.textContent = card.dataset.address;
    var more = document.createElement("a");
    more.href = "#" + card.parentElement.id;
    more.textContent = box.dataset.more;
    body.append(name, address, more);
    return body;
  }

  var bounds = [];
  cards.forEach(function (card) {
    var at = [parseFloat(card.dataset.lat), parseFloat(card.dataset.lng)];
    bounds.push(at);
    var marker = L.marker(at, { icon: icon, title: card.dataset.name, alt: card.dataset.name })
      .addTo(map).bindPopup(popup(card));
    var button = card.querySelector(".show-on-map");
    if (button) {
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        box.scrollIntoView({ behavior: "smooth", block: "center" });
        map.setView(at, Math.max(map.getZoom(), 15));
        marker.openPopup();
      });
    }
  });
  if (bounds.length === 1) map.setView(bounds[0], 15);
  else map.fitBounds(bounds, { padding: [40, 40], maxZoom: 15 });
})();

const A = { latitude: 23.099994, longitude: 113.32452 };
const B = { latitude: 23.099994, longitude: 113.34452 };
const C = { latitude: 23.109994, longitude: 113.33452 };

Page({
  data: {
    latitude: 23.104994,
    longitude: 113.33452,
    scale: 14,
    markers: [
      {
        id: 1,
        ...A,
        title: 'A',
        width: 30,
        height: 40,
        callout: { content: 'Callout A', color: '#ffffff', bgColor: '#1aad19', fontSize: 14, borderRadius: 6, padding: 8, display: 'ALWAYS' },
      },
      {
        id: 2,
        ...B,
        title: 'B',
        iconPath: '/images/tab-home-active.png',
        width: 24,
        height: 24,
        callout: { content: 'Callout B', display: 'BYCLICK' },
      },
      { id: 3, ...C, label: { content: 'Label C', color: '#ff0000', fontSize: 12, anchorX: 12, anchorY: -8 } },
    ],
    polyline: [{ points: [A, C, B], color: '#FF0000DD', width: 4, dottedLine: false }],
    circles: [{ ...C, radius: 200, color: '#0000ffaa', fillColor: '#0000ff22', strokeWidth: 2 }],
    markerTap: '',
    calloutTap: '',
    tap: '',
    region: '',
    regionTypes: '',
    context: '',
  },

  onLoad() {
    this.map = wx.createMapContext('map');
  },

  onMarkerTap(e) {
    this.setData({ markerTap: JSON.stringify(e.detail) });
  },
  onCalloutTap(e) {
    this.setData({ calloutTap: JSON.stringify(e.detail) });
  },
  onTap(e) {
    const d = e.detail;
    this.setData({ tap: JSON.stringify({ latitude: d.latitude.toFixed(3), longitude: d.longitude.toFixed(3) }) });
  },
  onRegionChange(e) {
    const d = e.detail;
    const types = this.data.regionTypes ? this.data.regionTypes.split(',') : [];
    types.push(`${d.type}:${d.causedBy}`);
    const patch = { regionTypes: types.slice(-4).join(',') };
    if (d.type === 'end') {
      patch.region = JSON.stringify({
        causedBy: d.causedBy,
        scale: d.scale,
        center: [d.centerLocation.latitude.toFixed(4), d.centerLocation.longitude.toFixed(4)],
        sw: [d.region.southwest.latitude < d.centerLocation.latitude, d.region.southwest.longitude < d.centerLocation.longitude],
        ne: [d.region.northeast.latitude > d.centerLocation.latitude, d.region.northeast.longitude > d.centerLocation.longitude],
      });
    }
    this.setData(patch);
  },

  show(value) {
    this.setData({ context: JSON.stringify(value) });
  },

  getCenter() {
    this.map.getCenterLocation({
      success: (res) => this.show({ errMsg: res.errMsg, latitude: res.latitude.toFixed(4), longitude: res.longitude.toFixed(4) }),
    });
  },
  getScale() {
    this.map.getScale().then((res) => this.show(res));
  },
  getRegion() {
    this.map.getRegion().then((res) => this.show({ errMsg: res.errMsg, west: res.southwest.longitude < res.northeast.longitude, south: res.southwest.latitude < res.northeast.latitude }));
  },
  moveTo() {
    this.map.moveToLocation({ ...B, success: (res) => this.show(res) });
  },
  include() {
    this.map.includePoints({ points: [A, B, C], padding: [20, 20, 20, 20], success: (res) => this.show(res) });
  },
  translate() {
    this.map.translateMarker({
      markerId: 3,
      destination: A,
      duration: 300,
      autoRotate: false,
      success: (res) => this.show(res),
    });
  },
  zoomOut() {
    this.setData({ scale: 12 });
  },
  unsupported() {
    this.map.addMarkers({ markers: [], fail: (err) => this.show(err) });
  },
});

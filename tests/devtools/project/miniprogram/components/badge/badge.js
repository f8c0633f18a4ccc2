Component({
  properties: { label: { type: String, value: "" } },
  data: { visits: 1 },
});

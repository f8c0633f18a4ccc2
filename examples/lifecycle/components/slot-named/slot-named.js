Component({
  options: {
    multipleSlots: true,
  },
});

Component({
  properties: {
    image: { type: String, value: '/images/empty-cart.png' },
    text: { type: String, value: 'Nothing here yet' },
  },
});

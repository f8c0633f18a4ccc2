// The shop's catalogue. A real shop would load it from its server; here it ships with the
// package so that the launch benchmark measures the mini program, not a network.

const banners = [
  {"id": 1, "title": "Summer Sale: up to 50% off", "image": "/images/banners/banner-1.jpg"},
  {"id": 2, "title": "New phones, trade-in bonus", "image": "/images/banners/banner-2.jpg"},
  {"id": 3, "title": "Fresh food delivered today", "image": "/images/banners/banner-3.jpg"},
];

const categories = [
  {"id": "phones", "name": "Phones", "color": "#ff6b6b", "icon": "/images/categories/phones.png"},
  {"id": "computers", "name": "Computers", "color": "#4d96ff", "icon": "/images/categories/computers.png"},
  {"id": "appliances", "name": "Appliances", "color": "#ffa94d", "icon": "/images/categories/appliances.png"},
  {"id": "fashion", "name": "Fashion", "color": "#f783ac", "icon": "/images/categories/fashion.png"},
  {"id": "shoes", "name": "Shoes", "color": "#845ef7", "icon": "/images/categories/shoes.png"},
  {"id": "beauty", "name": "Beauty", "color": "#e64980", "icon": "/images/categories/beauty.png"},
  {"id": "food", "name": "Food", "color": "#51cf66", "icon": "/images/categories/food.png"},
  {"id": "home", "name": "Home", "color": "#20c997", "icon": "/images/categories/home.png"},
  {"id": "sports", "name": "Sports", "color": "#339af0", "icon": "/images/categories/sports.png"},
  {"id": "books", "name": "Books", "color": "#fab005", "icon": "/images/categories/books.png"},
];

const products = [
  {"id": 1, "title": "Lenova Nova 12 Pro 5G Smartphone 256GB", "category": "phones", "price": 3950.9, "originalPrice": 4984.0, "sales": 19457, "tags": ["Self-run", "Hot", "-20%"], "shop": "Lenova Flagship Store", "image": "/images/products/p01.jpg", "rating": 4.7},
  {"id": 2, "title": "Lining AirBook 14 Laptop 16GB 512GB SSD", "category": "computers", "price": 4692.0, "originalPrice": 6056.0, "sales": 697, "tags": ["-20%", "Top rated"], "shop": "Lining Official Store", "image": "/images/products/p02.jpg", "rating": 4.6},
  {"id": 3, "title": "Muji-ish Smart Rice Cooker 4L", "category": "appliances", "price": 501.0, "originalPrice": 600.0, "sales": 8521, "tags": ["Coupon", "Top rated"], "shop": "Muji-ish Self-run Store", "image": "/images/products/p03.jpg", "rating": 4.2},
  {"id": 4, "title": "Oppa Cotton Crew-neck T-shirt Unisex", "category": "fashion", "price": 97.0, "originalPrice": 139.0, "sales": 6232, "tags": ["Hot", "Self-run", "Fast delivery"], "shop": "Oppa Official Store", "image": "/images/products/p04.jpg", "rating": 4.6},
  {"id": 5, "title": "Uniqo Running Shoes Air Cushion", "category": "shoes", "price": 492.99, "originalPrice": 698.0, "sales": 7991, "tags": ["Free shipping"], "shop": "Uniqo Outlet", "image": "/images/products/p05.jpg", "rating": 4.8},
  {"id": 6, "title": "Three Squirrels Hydrating Face Serum 30ml", "category": "beauty", "price": 134.0, "originalPrice": 169.0, "sales": 12012, "tags": ["Fast delivery", "New"], "shop": "Three Squirrels Flagship Store", "image": "/images/products/p06.jpg", "rating": 4.7},
  {"id": 7, "title": "Huali Dried Mango Slices 500g", "category": "food", "price": 65.9, "originalPrice": 93.0, "sales": 16935, "tags": ["Self-run", "Top rated", "-20%"], "shop": "Huali Outlet", "image": "/images/products/p07.jpg", "rating": 4.7},
  {"id": 8, "title": "Midia Memory Foam Pillow Pair", "category": "home", "price": 118.0, "originalPrice": 141.0, "sales": 15390, "tags": ["New", "Free shipping"], "shop": "Midia Outlet", "image": "/images/products/p08.jpg", "rating": 5.0},
  {"id": 9, "title": "Perfecto Yoga Mat 6mm Non-slip", "category": "sports", "price": 78.99, "originalPrice": 103.0, "sales": 5258, "tags": ["Coupon"], "shop": "Perfecto Outlet", "image": "/images/products/p09.jpg", "rating": 4.3},
  {"id": 10, "title": "Xiaomu The Art of Small Programs", "category": "books", "price": 53.9, "originalPrice": 77.0, "sales": 9100, "tags": ["-20%", "Self-run", "Fast delivery"], "shop": "Xiaomu Self-run Store", "image": "/images/products/p10.jpg", "rating": 4.6},
  {"id": 11, "title": "Lenova Lumo X3 Phone 128GB Dual SIM", "category": "phones", "price": 2395.99, "originalPrice": 3335.0, "sales": 1795, "tags": ["-20%", "Top rated", "Self-run"], "shop": "Lenova Outlet", "image": "/images/products/p11.jpg", "rating": 4.7},
  {"id": 12, "title": "Lining ProTab 11 Tablet Wi-Fi 128GB", "category": "computers", "price": 7397.9, "originalPrice": 10284.0, "sales": 5942, "tags": ["Fast delivery"], "shop": "Lining Self-run Store", "image": "/images/products/p12.jpg", "rating": 4.5},
  {"id": 13, "title": "Muji-ish Air Fryer 5.5L Digital", "category": "appliances", "price": 524.0, "originalPrice": 588.0, "sales": 9235, "tags": ["Coupon"], "shop": "Muji-ish Outlet", "image": "/images/products/p13.jpg", "rating": 4.6},
  {"id": 14, "title": "Oppa Down Jacket Lightweight Winter", "category": "fashion", "price": 159.99, "originalPrice": 181.0, "sales": 16136, "tags": ["-20%", "Free shipping"], "shop": "Oppa Official Store", "image": "/images/products/p14.jpg", "rating": 4.5},
  {"id": 15, "title": "Uniqo Canvas Sneakers Classic Low", "category": "shoes", "price": 324.9, "originalPrice": 438.0, "sales": 13311, "tags": ["Top rated"], "shop": "Uniqo Self-run Store", "image": "/images/products/p15.jpg", "rating": 4.6},
  {"id": 16, "title": "Three Squirrels Matte Lipstick Set 3 Colours", "category": "beauty", "price": 113.9, "originalPrice": 129.0, "sales": 14679, "tags": ["Self-run"], "shop": "Three Squirrels Outlet", "image": "/images/products/p16.jpg", "rating": 4.4},
  {"id": 17, "title": "Huali Single-origin Coffee Beans 1kg", "category": "food", "price": 79.99, "originalPrice": 111.0, "sales": 18208, "tags": ["New", "Coupon", "-20%"], "shop": "Huali Flagship Store", "image": "/images/products/p17.jpg", "rating": 4.7},
  {"id": 18, "title": "Midia Nordic Table Lamp LED", "category": "home", "price": 124.99, "originalPrice": 180.0, "sales": 9866, "tags": ["-20%"], "shop": "Midia Outlet", "image": "/images/products/p18.jpg", "rating": 5.0},
  {"id": 19, "title": "Perfecto Adjustable Dumbbells 2x10kg", "category": "sports", "price": 90.99, "originalPrice": 108.0, "sales": 15196, "tags": ["Top rated", "Self-run", "-20%"], "shop": "Perfecto Outlet", "image": "/images/products/p19.jpg", "rating": 4.9},
  {"id": 20, "title": "Xiaomu Modern JavaScript Handbook", "category": "books", "price": 56.99, "originalPrice": 63.0, "sales": 5734, "tags": ["Free shipping", "Fast delivery", "Hot"], "shop": "Xiaomu Self-run Store", "image": "/images/products/p20.jpg", "rating": 4.3},
  {"id": 21, "title": "Lenova Pixelate 8 Camera Phone 512GB", "category": "phones", "price": 2272.9, "originalPrice": 2996.0, "sales": 10690, "tags": ["Hot", "Fast delivery", "Free shipping"], "shop": "Lenova Flagship Store", "image": "/images/products/p21.jpg", "rating": 4.3},
  {"id": 22, "title": "Lining Gamer G7 Laptop RTX 4060", "category": "computers", "price": 7210.0, "originalPrice": 9021.0, "sales": 262, "tags": ["-20%", "New", "Top rated"], "shop": "Lining Self-run Store", "image": "/images/products/p22.jpg", "rating": 4.7},
  {"id": 23, "title": "Muji-ish Cordless Vacuum Cleaner V8", "category": "appliances", "price": 523.99, "originalPrice": 738.0, "sales": 3539, "tags": ["New", "Self-run"], "shop": "Muji-ish Self-run Store", "image": "/images/products/p23.jpg", "rating": 4.8},
  {"id": 24, "title": "Oppa Slim-fit Denim Jeans", "category": "fashion", "price": 82.99, "originalPrice": 93.0, "sales": 19144, "tags": ["Free shipping"], "shop": "Oppa Self-run Store", "image": "/images/products/p24.jpg", "rating": 4.6},
  {"id": 25, "title": "Uniqo Leather Chelsea Boots", "category": "shoes", "price": 499.99, "originalPrice": 574.0, "sales": 16768, "tags": ["Coupon", "Top rated", "-20%"], "shop": "Uniqo Self-run Store", "image": "/images/products/p25.jpg", "rating": 4.8},
  {"id": 26, "title": "Three Squirrels Sunscreen SPF50+ 50ml", "category": "beauty", "price": 162.99, "originalPrice": 220.0, "sales": 18099, "tags": ["New"], "shop": "Three Squirrels Outlet", "image": "/images/products/p26.jpg", "rating": 5.0},
  {"id": 27, "title": "Huali Mixed Nuts Daily Pack x30", "category": "food", "price": 67.0, "originalPrice": 88.0, "sales": 11076, "tags": ["Top rated", "Coupon"], "shop": "Huali Flagship Store", "image": "/images/products/p27.jpg", "rating": 5.0},
  {"id": 28, "title": "Midia Bamboo Storage Boxes Set", "category": "home", "price": 176.99, "originalPrice": 252.0, "sales": 2688, "tags": ["Self-run", "Free shipping"], "shop": "Midia Self-run Store", "image": "/images/products/p28.jpg", "rating": 4.6},
  {"id": 29, "title": "Perfecto Basketball Size 7 Indoor", "category": "sports", "price": 65.0, "originalPrice": 91.0, "sales": 3984, "tags": ["Fast delivery", "Free shipping"], "shop": "Perfecto Self-run Store", "image": "/images/products/p29.jpg", "rating": 4.4},
  {"id": 30, "title": "Xiaomu History of Tea (Hardcover)", "category": "books", "price": 34.0, "originalPrice": 39.0, "sales": 5713, "tags": ["-20%", "Self-run"], "shop": "Xiaomu Official Store", "image": "/images/products/p30.jpg", "rating": 4.3},
  {"id": 31, "title": "Lenova Mira Lite 5G 8+128GB", "category": "phones", "price": 2000.9, "originalPrice": 2629.0, "sales": 11802, "tags": ["Hot", "Top rated", "Self-run"], "shop": "Lenova Flagship Store", "image": "/images/products/p31.jpg", "rating": 4.5},
  {"id": 32, "title": "Lining Mini Desktop PC i5 16GB", "category": "computers", "price": 4680.99, "originalPrice": 6211.0, "sales": 13521, "tags": ["Coupon", "-20%", "Self-run"], "shop": "Lining Outlet", "image": "/images/products/p32.jpg", "rating": 4.8},
  {"id": 33, "title": "Muji-ish Double-door Fridge 320L", "category": "appliances", "price": 476.0, "originalPrice": 648.0, "sales": 14607, "tags": ["Fast delivery", "New", "-20%"], "shop": "Muji-ish Official Store", "image": "/images/products/p33.jpg", "rating": 5.0},
  {"id": 34, "title": "Oppa Wool Blend Knit Sweater", "category": "fashion", "price": 168.0, "originalPrice": 211.0, "sales": 3993, "tags": ["-20%", "Self-run", "Free shipping"], "shop": "Oppa Flagship Store", "image": "/images/products/p34.jpg", "rating": 4.5},
  {"id": 35, "title": "Uniqo Trail Hiking Shoes Waterproof", "category": "shoes", "price": 430.99, "originalPrice": 630.0, "sales": 10106, "tags": ["Hot", "Top rated", "Self-run"], "shop": "Uniqo Self-run Store", "image": "/images/products/p35.jpg", "rating": 5.0},
  {"id": 36, "title": "Three Squirrels Gentle Foam Cleanser 150ml", "category": "beauty", "price": 196.9, "originalPrice": 271.0, "sales": 15172, "tags": ["Coupon", "Free shipping", "Fast delivery"], "shop": "Three Squirrels Flagship Store", "image": "/images/products/p36.jpg", "rating": 4.8},
  {"id": 37, "title": "Huali Oolong Tea Gift Box 250g", "category": "food", "price": 76.9, "originalPrice": 85.0, "sales": 17322, "tags": ["Self-run"], "shop": "Huali Outlet", "image": "/images/products/p37.jpg", "rating": 4.6},
  {"id": 38, "title": "Midia Cotton Bed Sheet Set Queen", "category": "home", "price": 104.99, "originalPrice": 131.0, "sales": 14551, "tags": ["Fast delivery"], "shop": "Midia Flagship Store", "image": "/images/products/p38.jpg", "rating": 4.6},
  {"id": 39, "title": "Perfecto Cycling Gloves Breathable", "category": "sports", "price": 128.99, "originalPrice": 158.0, "sales": 7769, "tags": ["Fast delivery", "Free shipping", "Top rated"], "shop": "Perfecto Self-run Store", "image": "/images/products/p39.jpg", "rating": 4.2},
  {"id": 40, "title": "Xiaomu Kids Science Encyclopedia", "category": "books", "price": 47.99, "originalPrice": 64.0, "sales": 787, "tags": ["Fast delivery", "Free shipping"], "shop": "Xiaomu Self-run Store", "image": "/images/products/p40.jpg", "rating": 4.4},
];

const subcategories = {
  phones: [
    {"id": "phones-0", "name": "5G phones", "icon": "/images/categories/phones.png"},
    {"id": "phones-1", "name": "Camera phones", "icon": "/images/categories/phones.png"},
    {"id": "phones-2", "name": "Gaming phones", "icon": "/images/categories/phones.png"},
    {"id": "phones-3", "name": "Foldables", "icon": "/images/categories/phones.png"},
    {"id": "phones-4", "name": "Cases", "icon": "/images/categories/phones.png"},
    {"id": "phones-5", "name": "Chargers", "icon": "/images/categories/phones.png"},
    {"id": "phones-6", "name": "Earbuds", "icon": "/images/categories/phones.png"},
    {"id": "phones-7", "name": "Smart watches", "icon": "/images/categories/phones.png"},
    {"id": "phones-8", "name": "Power banks", "icon": "/images/categories/phones.png"},
  ],
  computers: [
    {"id": "computers-0", "name": "Laptops", "icon": "/images/categories/computers.png"},
    {"id": "computers-1", "name": "Tablets", "icon": "/images/categories/computers.png"},
    {"id": "computers-2", "name": "Desktops", "icon": "/images/categories/computers.png"},
    {"id": "computers-3", "name": "Monitors", "icon": "/images/categories/computers.png"},
    {"id": "computers-4", "name": "Keyboards", "icon": "/images/categories/computers.png"},
    {"id": "computers-5", "name": "Mice", "icon": "/images/categories/computers.png"},
    {"id": "computers-6", "name": "Storage", "icon": "/images/categories/computers.png"},
    {"id": "computers-7", "name": "Printers", "icon": "/images/categories/computers.png"},
    {"id": "computers-8", "name": "Routers", "icon": "/images/categories/computers.png"},
  ],
  appliances: [
    {"id": "appliances-0", "name": "Rice cookers", "icon": "/images/categories/appliances.png"},
    {"id": "appliances-1", "name": "Air fryers", "icon": "/images/categories/appliances.png"},
    {"id": "appliances-2", "name": "Vacuums", "icon": "/images/categories/appliances.png"},
    {"id": "appliances-3", "name": "Fridges", "icon": "/images/categories/appliances.png"},
    {"id": "appliances-4", "name": "Washers", "icon": "/images/categories/appliances.png"},
    {"id": "appliances-5", "name": "Kettles", "icon": "/images/categories/appliances.png"},
    {"id": "appliances-6", "name": "Fans", "icon": "/images/categories/appliances.png"},
    {"id": "appliances-7", "name": "Heaters", "icon": "/images/categories/appliances.png"},
    {"id": "appliances-8", "name": "Blenders", "icon": "/images/categories/appliances.png"},
  ],
  fashion: [
    {"id": "fashion-0", "name": "T-shirts", "icon": "/images/categories/fashion.png"},
    {"id": "fashion-1", "name": "Jackets", "icon": "/images/categories/fashion.png"},
    {"id": "fashion-2", "name": "Jeans", "icon": "/images/categories/fashion.png"},
    {"id": "fashion-3", "name": "Sweaters", "icon": "/images/categories/fashion.png"},
    {"id": "fashion-4", "name": "Dresses", "icon": "/images/categories/fashion.png"},
    {"id": "fashion-5", "name": "Shirts", "icon": "/images/categories/fashion.png"},
    {"id": "fashion-6", "name": "Skirts", "icon": "/images/categories/fashion.png"},
    {"id": "fashion-7", "name": "Coats", "icon": "/images/categories/fashion.png"},
    {"id": "fashion-8", "name": "Hats", "icon": "/images/categories/fashion.png"},
  ],
  shoes: [
    {"id": "shoes-0", "name": "Running", "icon": "/images/categories/shoes.png"},
    {"id": "shoes-1", "name": "Sneakers", "icon": "/images/categories/shoes.png"},
    {"id": "shoes-2", "name": "Boots", "icon": "/images/categories/shoes.png"},
    {"id": "shoes-3", "name": "Hiking", "icon": "/images/categories/shoes.png"},
    {"id": "shoes-4", "name": "Sandals", "icon": "/images/categories/shoes.png"},
    {"id": "shoes-5", "name": "Slippers", "icon": "/images/categories/shoes.png"},
    {"id": "shoes-6", "name": "Loafers", "icon": "/images/categories/shoes.png"},
    {"id": "shoes-7", "name": "Heels", "icon": "/images/categories/shoes.png"},
    {"id": "shoes-8", "name": "Kids", "icon": "/images/categories/shoes.png"},
  ],
  beauty: [
    {"id": "beauty-0", "name": "Serums", "icon": "/images/categories/beauty.png"},
    {"id": "beauty-1", "name": "Lipsticks", "icon": "/images/categories/beauty.png"},
    {"id": "beauty-2", "name": "Sunscreen", "icon": "/images/categories/beauty.png"},
    {"id": "beauty-3", "name": "Cleansers", "icon": "/images/categories/beauty.png"},
    {"id": "beauty-4", "name": "Masks", "icon": "/images/categories/beauty.png"},
    {"id": "beauty-5", "name": "Perfume", "icon": "/images/categories/beauty.png"},
    {"id": "beauty-6", "name": "Toners", "icon": "/images/categories/beauty.png"},
    {"id": "beauty-7", "name": "Creams", "icon": "/images/categories/beauty.png"},
    {"id": "beauty-8", "name": "Brushes", "icon": "/images/categories/beauty.png"},
  ],
  food: [
    {"id": "food-0", "name": "Snacks", "icon": "/images/categories/food.png"},
    {"id": "food-1", "name": "Coffee", "icon": "/images/categories/food.png"},
    {"id": "food-2", "name": "Nuts", "icon": "/images/categories/food.png"},
    {"id": "food-3", "name": "Tea", "icon": "/images/categories/food.png"},
    {"id": "food-4", "name": "Fruit", "icon": "/images/categories/food.png"},
    {"id": "food-5", "name": "Dairy", "icon": "/images/categories/food.png"},
    {"id": "food-6", "name": "Noodles", "icon": "/images/categories/food.png"},
    {"id": "food-7", "name": "Sauces", "icon": "/images/categories/food.png"},
    {"id": "food-8", "name": "Drinks", "icon": "/images/categories/food.png"},
  ],
  home: [
    {"id": "home-0", "name": "Pillows", "icon": "/images/categories/home.png"},
    {"id": "home-1", "name": "Lamps", "icon": "/images/categories/home.png"},
    {"id": "home-2", "name": "Storage", "icon": "/images/categories/home.png"},
    {"id": "home-3", "name": "Bedding", "icon": "/images/categories/home.png"},
    {"id": "home-4", "name": "Towels", "icon": "/images/categories/home.png"},
    {"id": "home-5", "name": "Rugs", "icon": "/images/categories/home.png"},
    {"id": "home-6", "name": "Curtains", "icon": "/images/categories/home.png"},
    {"id": "home-7", "name": "Kitchen", "icon": "/images/categories/home.png"},
    {"id": "home-8", "name": "Decor", "icon": "/images/categories/home.png"},
  ],
  sports: [
    {"id": "sports-0", "name": "Yoga", "icon": "/images/categories/sports.png"},
    {"id": "sports-1", "name": "Fitness", "icon": "/images/categories/sports.png"},
    {"id": "sports-2", "name": "Ball games", "icon": "/images/categories/sports.png"},
    {"id": "sports-3", "name": "Cycling", "icon": "/images/categories/sports.png"},
    {"id": "sports-4", "name": "Swimming", "icon": "/images/categories/sports.png"},
    {"id": "sports-5", "name": "Running", "icon": "/images/categories/sports.png"},
    {"id": "sports-6", "name": "Camping", "icon": "/images/categories/sports.png"},
    {"id": "sports-7", "name": "Fishing", "icon": "/images/categories/sports.png"},
    {"id": "sports-8", "name": "Skating", "icon": "/images/categories/sports.png"},
  ],
  books: [
    {"id": "books-0", "name": "Tech", "icon": "/images/categories/books.png"},
    {"id": "books-1", "name": "Programming", "icon": "/images/categories/books.png"},
    {"id": "books-2", "name": "History", "icon": "/images/categories/books.png"},
    {"id": "books-3", "name": "Kids", "icon": "/images/categories/books.png"},
    {"id": "books-4", "name": "Novels", "icon": "/images/categories/books.png"},
    {"id": "books-5", "name": "Comics", "icon": "/images/categories/books.png"},
    {"id": "books-6", "name": "Cooking", "icon": "/images/categories/books.png"},
    {"id": "books-7", "name": "Travel", "icon": "/images/categories/books.png"},
    {"id": "books-8", "name": "Art", "icon": "/images/categories/books.png"},
  ],
};

const coupons = [
  {"id": "c1", "amount": 10, "threshold": 99, "title": "Store-wide coupon", "expires": "2026-12-31", "used": false},
  {"id": "c2", "amount": 50, "threshold": 399, "title": "Appliances coupon", "expires": "2026-10-01", "used": false},
  {"id": "c3", "amount": 5, "threshold": 0, "title": "Shipping coupon", "expires": "2026-08-15", "used": false},
  {"id": "c4", "amount": 100, "threshold": 999, "title": "Phones coupon", "expires": "2026-06-30", "used": true},
];

const hotWords = ["Phones", "Air fryer", "Running shoes", "Coffee", "Laptop", "Sunscreen", "Yoga mat", "Lamp"];

function productById(id) {
  const wanted = Number(id);
  return products.find((product) => product.id === wanted) || null;
}

function productsByCategory(category) {
  return products.filter((product) => product.category === category);
}

module.exports = {
  banners,
  categories,
  products,
  subcategories,
  coupons,
  hotWords,
  productById,
  productsByCategory,
};

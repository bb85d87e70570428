//! Fixed value lists for the semantic kinds: short vocabularies a column of
//! that kind takes its values from (written for pgmock; facts such as card
//! brands or MIME types are public knowledge).

/// Weighted values: (value, weight).
pub type Weighted = &'static [(&'static str, u32)];

pub(crate) const SALUTATIONS: Weighted = &[
    ("Mr.", 40),
    ("Ms.", 30),
    ("Mrs.", 15),
    ("Dr.", 10),
    ("Mx.", 2),
    ("Prof.", 3),
];
pub(crate) const NAME_SUFFIXES: Weighted = &[
    ("Jr.", 40),
    ("Sr.", 25),
    ("II", 15),
    ("III", 12),
    ("PhD", 8),
];
pub(crate) const BLOOD_TYPES: Weighted = &[
    ("O+", 38),
    ("A+", 34),
    ("B+", 9),
    ("AB+", 3),
    ("O-", 7),
    ("A-", 6),
    ("B-", 2),
    ("AB-", 1),
];
pub(crate) const MARITAL: Weighted = &[
    ("married", 48),
    ("single", 34),
    ("divorced", 10),
    ("widowed", 6),
    ("separated", 2),
];
pub(crate) const LANGUAGES: Weighted = &[
    ("en", 40),
    ("es", 12),
    ("de", 8),
    ("fr", 8),
    ("pt", 7),
    ("zh", 6),
    ("ja", 5),
    ("it", 4),
    ("nl", 3),
    ("pl", 3),
    ("ko", 2),
    ("sv", 2),
];
pub(crate) const LOCALES: Weighted = &[
    ("en-US", 40),
    ("en-GB", 10),
    ("de-DE", 9),
    ("fr-FR", 8),
    ("es-ES", 7),
    ("pt-BR", 7),
    ("ja-JP", 6),
    ("zh-CN", 5),
    ("it-IT", 4),
    ("nl-NL", 4),
];
pub(crate) const NATIONALITIES: Weighted = &[
    ("American", 30),
    ("British", 10),
    ("German", 9),
    ("French", 8),
    ("Spanish", 6),
    ("Italian", 6),
    ("Brazilian", 7),
    ("Japanese", 6),
    ("Chinese", 8),
    ("Indian", 7),
    ("Canadian", 3),
];
pub(crate) const DEPARTMENTS: &[&str] = &[
    "Engineering",
    "Sales",
    "Marketing",
    "Finance",
    "Human Resources",
    "Operations",
    "Customer Support",
    "Legal",
    "Product",
    "Design",
    "Research",
    "Procurement",
    "IT",
    "Logistics",
    "Quality Assurance",
];
pub(crate) const INDUSTRIES: &[&str] = &[
    "Software",
    "Financial Services",
    "Healthcare",
    "Retail",
    "Manufacturing",
    "Education",
    "Logistics",
    "Real Estate",
    "Media",
    "Telecommunications",
    "Energy",
    "Hospitality",
    "Construction",
    "Agriculture",
    "Automotive",
    "Insurance",
    "Pharmaceuticals",
    "Consulting",
];
pub(crate) const SLOGAN_VERBS: &[&str] = &[
    "Building",
    "Powering",
    "Simplifying",
    "Reinventing",
    "Connecting",
    "Delivering",
    "Designing",
    "Growing",
    "Securing",
    "Empowering",
];
pub(crate) const SLOGAN_OBJECTS: &[&str] = &[
    "the future of work",
    "better teams",
    "smarter logistics",
    "everyday banking",
    "healthier communities",
    "modern commerce",
    "cleaner energy",
    "great products",
    "trusted data",
    "happy customers",
];
pub(crate) const COLORS: &[&str] = &[
    "black", "white", "gray", "silver", "red", "blue", "navy", "green", "olive", "yellow",
    "orange", "purple", "pink", "brown", "beige", "teal", "gold", "maroon",
];
pub(crate) const SIZES: Weighted = &[
    ("XS", 6),
    ("S", 18),
    ("M", 30),
    ("L", 26),
    ("XL", 14),
    ("XXL", 6),
];
pub(crate) const MATERIALS: &[&str] = &[
    "cotton",
    "polyester",
    "wool",
    "leather",
    "linen",
    "silk",
    "denim",
    "nylon",
    "steel",
    "aluminium",
    "oak",
    "bamboo",
    "glass",
    "ceramic",
    "plastic",
];
pub(crate) const CATEGORIES: &[&str] = &[
    "Electronics",
    "Books",
    "Clothing",
    "Home & Kitchen",
    "Sports & Outdoors",
    "Beauty",
    "Toys & Games",
    "Garden",
    "Automotive",
    "Office Supplies",
    "Pet Supplies",
    "Grocery",
    "Health",
    "Jewelry",
    "Music",
    "Tools",
    "Baby",
    "Shoes",
];
pub(crate) const PAYMENT_METHODS: Weighted = &[
    ("card", 62),
    ("paypal", 14),
    ("bank_transfer", 8),
    ("apple_pay", 7),
    ("google_pay", 5),
    ("gift_card", 2),
    ("cash_on_delivery", 2),
];
pub(crate) const CARD_BRANDS: Weighted = &[
    ("Visa", 52),
    ("Mastercard", 30),
    ("American Express", 10),
    ("Discover", 5),
    ("JCB", 2),
    ("UnionPay", 1),
];
pub(crate) const CARRIERS: Weighted = &[
    ("UPS", 30),
    ("FedEx", 25),
    ("USPS", 25),
    ("DHL", 15),
    ("Amazon Logistics", 5),
];
pub(crate) const UNITS: &[&str] = &[
    "each", "kg", "g", "lb", "oz", "l", "ml", "m", "cm", "box", "pack", "pair", "dozen",
];
pub(crate) const TRANSACTION_TYPES: Weighted = &[
    ("purchase", 60),
    ("refund", 6),
    ("transfer", 14),
    ("withdrawal", 8),
    ("deposit", 10),
    ("fee", 2),
];
pub(crate) const MCC_CODES: Weighted = &[
    ("5411", 18),
    ("5812", 14),
    ("5814", 9),
    ("5541", 9),
    ("5311", 6),
    ("5912", 5),
    ("4121", 5),
    ("4111", 4),
    ("5999", 6),
    ("5732", 4),
    ("7011", 3),
    ("4511", 3),
    ("5691", 4),
    ("5651", 3),
    ("5942", 2),
    ("7832", 2),
    ("8011", 2),
];
pub(crate) const TICKERS: &[&str] = &[
    "AAPL", "MSFT", "AMZN", "GOOGL", "META", "NVDA", "TSLA", "JPM", "V", "JNJ", "WMT", "PG", "MA",
    "HD", "DIS", "KO", "PEP", "NFLX", "INTC", "CSCO", "ORCL", "IBM", "SAP", "ASML",
];
pub(crate) const USER_AGENTS: Weighted = &[
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", 38),
    ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15", 14),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1", 18),
    ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Mobile Safari/537.36", 14),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0", 7),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36 Edg/124.0.0.0", 6),
    ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36", 3),
];
pub(crate) const BROWSERS: Weighted = &[
    ("Chrome", 64),
    ("Safari", 19),
    ("Edge", 5),
    ("Firefox", 3),
    ("Samsung Internet", 3),
    ("Opera", 2),
];
pub(crate) const DEVICES: Weighted = &[("desktop", 42), ("mobile", 52), ("tablet", 6)];
pub(crate) const OPERATING_SYSTEMS: Weighted = &[
    ("Windows", 30),
    ("Android", 38),
    ("iOS", 18),
    ("macOS", 8),
    ("Linux", 4),
    ("ChromeOS", 2),
];
pub(crate) const MIME_TYPES: Weighted = &[
    ("image/jpeg", 26),
    ("image/png", 20),
    ("application/pdf", 18),
    ("text/plain", 6),
    ("text/csv", 5),
    ("application/json", 6),
    ("image/webp", 5),
    ("video/mp4", 4),
    ("application/zip", 4),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        3,
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        3,
    ),
];
pub(crate) const FILE_EXTENSIONS: &[&str] = &[
    "pdf", "jpg", "png", "docx", "xlsx", "csv", "txt", "zip", "mp4", "json",
];
pub(crate) const HTTP_METHODS: Weighted = &[
    ("GET", 70),
    ("POST", 18),
    ("PUT", 4),
    ("PATCH", 4),
    ("DELETE", 3),
    ("OPTIONS", 1),
];
pub(crate) const HTTP_STATUSES: &[(&str, u32)] = &[
    ("200", 80),
    ("201", 5),
    ("204", 3),
    ("301", 2),
    ("304", 3),
    ("400", 2),
    ("401", 1),
    ("403", 1),
    ("404", 2),
    ("500", 1),
];
pub(crate) const LOG_LEVELS: Weighted = &[
    ("INFO", 70),
    ("DEBUG", 12),
    ("WARN", 12),
    ("ERROR", 5),
    ("FATAL", 1),
];
pub(crate) const UTM_SOURCES: Weighted = &[
    ("google", 40),
    ("direct", 20),
    ("newsletter", 10),
    ("facebook", 10),
    ("instagram", 7),
    ("linkedin", 5),
    ("twitter", 4),
    ("bing", 4),
];
pub(crate) const EVENT_NAMES: Weighted = &[
    ("page_view", 55),
    ("click", 18),
    ("search", 8),
    ("add_to_cart", 6),
    ("sign_in", 5),
    ("sign_up", 2),
    ("checkout", 3),
    ("purchase", 2),
    ("share", 1),
];
pub(crate) const PRIORITIES: Weighted =
    &[("low", 35), ("medium", 40), ("high", 20), ("critical", 5)];
pub(crate) const STATUSES: Weighted = &[
    ("active", 70),
    ("inactive", 15),
    ("pending", 10),
    ("suspended", 5),
];
pub(crate) const TLDS: Weighted = &[
    ("com", 60),
    ("io", 8),
    ("net", 8),
    ("org", 8),
    ("co", 6),
    ("dev", 3),
    ("app", 3),
    ("ai", 4),
];
pub(crate) const HASHTAG_WORDS: &[&str] = &[
    "travel",
    "food",
    "fitness",
    "tech",
    "music",
    "design",
    "startup",
    "photography",
    "nature",
    "coffee",
    "books",
    "gaming",
    "style",
    "health",
    "art",
];
pub(crate) const REVIEW_OPENINGS: &[&str] = &[
    "Great",
    "Good",
    "Decent",
    "Disappointing",
    "Excellent",
    "Solid",
    "Fantastic",
    "Okay",
    "Terrible",
    "Impressive",
];
pub(crate) const REVIEW_OPENINGS_HAPPY: &[&str] = &[
    "Great",
    "Excellent",
    "Fantastic",
    "Impressive",
    "Outstanding",
    "Really good",
    "Superb",
    "Lovely",
];
pub(crate) const REVIEW_OPENINGS_MIXED: &[&str] = &[
    "Decent",
    "Okay",
    "Average",
    "Fair",
    "Mixed feelings about the",
    "Not bad",
];
pub(crate) const REVIEW_OPENINGS_UNHAPPY: &[&str] = &[
    "Disappointing",
    "Terrible",
    "Poor",
    "Awful",
    "Not worth the",
    "Unhappy with the",
];
pub(crate) const REVIEW_SUBJECTS: &[&str] = &[
    "quality",
    "value for money",
    "product",
    "purchase",
    "fit",
    "build",
    "service",
    "delivery",
];

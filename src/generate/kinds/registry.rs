//! The registry of semantic kinds: every kind pgmock knows, in one table.
//!
//! A kind has a name (what `"generator": "NAME"` asks for), the column names
//! it is inferred from (as token patterns: `"first name"` matches
//! `first_name`, `customerFirstName` and `billing_first_name`), what it
//! generates, and how to build it. `plan` infers kinds from this table,
//! explicit generators look names up in it, `pgmock explain` reports it and
//! the README's kind table is printed from it (`pgmock kinds --markdown`), so
//! adding a kind is one entry here (plus its values in `text.rs` when it
//! needs new code).

use super::lists as l;
use super::prose::Prose as P;
use super::text::TextKind as T;
use crate::generate::distribution::Dist;
use crate::schema::PiiCategory;

/// What kind of column a kind fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// `text`, `varchar`, `char`, `citext`.
    Text,
    /// Integers, `numeric`, floats.
    Number,
    /// `date`, `timestamp`, `timestamptz`.
    Time,
    /// `boolean`.
    Bool,
}

/// How a kind's values are made.
#[derive(Debug, Clone, Copy)]
pub enum Make {
    /// Text of this kind.
    Text(T),
    /// An e-mail address built from the row's name columns when there are some.
    Email,
    /// The name of what the row is (a person, a company, a product, a category), judged from the table name.
    EntityName,
    /// A number from a distribution, within `[min, max]`.
    Number(Dist, f64, f64),
    /// A date or time between these years.
    Years(i32, i32),
    /// A date or time that follows the row's `created…` column by `min..max` days.
    AfterCreated(i64, i64),
    /// `true` with this probability.
    Bool(f64),
    /// The latitude (`true`) or longitude of the row's place.
    Coordinate(bool),
}

/// One semantic kind.
#[derive(Debug, Clone, Copy)]
pub struct Kind {
    /// Its name, as `"generator": "NAME"` and `explain` spell it.
    pub name: &'static str,
    /// The group it is listed under.
    pub category: &'static str,
    /// Column types it fills.
    pub class: Class,
    /// Column-name token patterns it is inferred from (`"first name"`).
    pub names: &'static [&'static str],
    /// Share of NULLs it brings to nullable columns that set none (`deleted_at`: mostly NULL).
    pub null_ratio: Option<f64>,
    /// What it generates, one line.
    pub generates: &'static str,
    /// How.
    pub make: Make,
    /// `Some` when a value of this kind identifies a person on its own (direct
    /// PII), with its category: `explain --pii` lists such columns that carry
    /// no `pii` label. Quasi-identifiers (birth dates, postal codes) are not
    /// flagged: nearly every table has some, and listing them all would hide the gaps.
    /// `name` is not flagged either: it names companies and products too, so
    /// `plan` judges it by its table.
    pub pii: Option<PiiCategory>,
}

impl Kind {
    /// The same kind, flagged as direct PII of `category`.
    const fn pii(self, category: PiiCategory) -> Self {
        Self {
            pii: Some(category),
            ..self
        }
    }
}

const fn text(
    name: &'static str,
    category: &'static str,
    names: &'static [&'static str],
    generates: &'static str,
    kind: T,
) -> Kind {
    Kind {
        name,
        category,
        class: Class::Text,
        names,
        null_ratio: None,
        generates,
        make: Make::Text(kind),
        pii: None,
    }
}

const fn number(
    name: &'static str,
    category: &'static str,
    names: &'static [&'static str],
    generates: &'static str,
    dist: Dist,
    min: f64,
    max: f64,
) -> Kind {
    Kind {
        name,
        category,
        class: Class::Number,
        names,
        null_ratio: None,
        generates,
        make: Make::Number(dist, min, max),
        pii: None,
    }
}

const fn uniform(
    name: &'static str,
    category: &'static str,
    names: &'static [&'static str],
    generates: &'static str,
    min: f64,
    max: f64,
) -> Kind {
    number(name, category, names, generates, Dist::Uniform, min, max)
}

const fn lognormal(
    name: &'static str,
    category: &'static str,
    names: &'static [&'static str],
    generates: &'static str,
    mu: f64,
    sigma: f64,
    max: f64,
) -> Kind {
    number(
        name,
        category,
        names,
        generates,
        Dist::LogNormal { mu, sigma },
        0.01,
        max,
    )
}

const fn time(
    name: &'static str,
    names: &'static [&'static str],
    generates: &'static str,
    make: Make,
    null_ratio: Option<f64>,
) -> Kind {
    Kind {
        name,
        category: "time",
        class: Class::Time,
        names,
        null_ratio,
        generates,
        make,
        pii: None,
    }
}

const fn flag(
    name: &'static str,
    names: &'static [&'static str],
    generates: &'static str,
    p: f64,
) -> Kind {
    Kind {
        name,
        category: "flags",
        class: Class::Bool,
        names,
        null_ratio: None,
        generates,
        make: Make::Bool(p),
        pii: None,
    }
}

/// Every kind, grouped by category.
pub static KINDS: &[Kind] = &[
    // Person.
    text("first_name", "person", &["first name", "firstname", "given name", "forename", "fname"], "the row's person's given name", T::FirstName).pii(PiiCategory::Name),
    text("last_name", "person", &["last name", "lastname", "surname", "family name", "lname"], "the row's person's family name", T::LastName).pii(PiiCategory::Name),
    text("middle_name", "person", &["middle name"], "middle names", T::MiddleName).pii(PiiCategory::Name),
    text("full_name", "person", &["full name", "fullname", "display name", "contact name", "person name", "contact", "author", "recipient", "recipient name", "holder name", "cardholder", "cardholder name", "beneficiary", "emergency contact"], "the row's person's full name, in the locale's order", T::FullName).pii(PiiCategory::Name),
    Kind { name: "name", category: "person", class: Class::Text, names: &["name"], null_ratio: None, generates: "the name of what the row is: people in most tables, companies in `companies`/`vendors`/`tenants`, products in `products`/`items`, words in `categories`/`tags`/`roles`", make: Make::EntityName, pii: None },
    text("initials", "person", &["initials"], "initials (`J.D.`)", T::Initials),
    text("salutation", "person", &["salutation", "honorific", "name prefix", "title prefix"], "Mr., Ms., Dr. …", T::Weighted(l::SALUTATIONS)),
    text("name_suffix", "person", &["name suffix", "suffix"], "Jr., Sr., III …", T::Weighted(l::NAME_SUFFIXES)),
    text("gender", "person", &["gender", "sex"], "the row's person's gender (female / male, 2 % non-binary), matching the first name", T::Gender),
    Kind { name: "email", category: "person", class: Class::Text, names: &["email", "e mail", "mail", "email address", "mail address"], null_ratio: None, generates: "e-mail addresses of the row's person (`jane.doe.42@gmail.com`), at the company's domain in company tables", make: Make::Email, pii: Some(PiiCategory::Contact) },
    text("username", "person", &["username", "user name", "login", "handle", "nickname", "screen name", "user handle"], "user names from the row's person (`jane_doe42`)", T::Username).pii(PiiCategory::OnlineId),
    text("phone", "person", &["phone", "phone number", "telephone", "tel", "fax", "landline", "contact number", "work phone", "home phone"], "phone numbers of the row's place, as its country writes them (`+49 30 412-5567`)", T::Phone).pii(PiiCategory::Contact),
    text("mobile_phone", "person", &["mobile", "mobile number", "mobile phone", "cell", "cell phone", "cellphone", "msisdn"], "mobile numbers of the row's country", T::MobilePhone).pii(PiiCategory::Contact),
    text("job_title", "person", &["job title", "job", "occupation", "position", "designation", "job role"], "job titles", T::JobTitle),
    text("department", "person", &["department", "dept", "division", "business unit"], "company departments", T::List(l::DEPARTMENTS)),
    text("ssn", "person", &["ssn", "social security", "social security number", "national id", "national insurance number"], "US social security numbers (`123-45-6789`)", T::Pattern("^##-##-####")).pii(PiiCategory::NationalId),
    text("passport_number", "person", &["passport", "passport number", "passport no"], "passport numbers", T::Pattern("@########")).pii(PiiCategory::NationalId),
    text("blood_type", "person", &["blood type", "blood group"], "ABO/Rh blood groups by frequency", T::Weighted(l::BLOOD_TYPES)),
    text("marital_status", "person", &["marital status", "civil status"], "married / single / divorced …", T::Weighted(l::MARITAL)),
    text("nationality", "person", &["nationality", "citizenship"], "nationalities", T::Weighted(l::NATIONALITIES)),
    text("language", "person", &["language", "lang", "preferred language", "language code"], "ISO 639-1 language codes", T::Weighted(l::LANGUAGES)),
    text("locale", "person", &["locale"], "locales (`en-US`)", T::Weighted(l::LOCALES)),
    text("avatar_url", "person", &["avatar", "avatar url", "profile picture", "profile image", "photo url", "picture url", "image url"], "image URLs", T::AvatarUrl),
    uniform("age", "person", &["age"], "ages 18–90", 18.0, 90.0),
    Kind { name: "birth_date", category: "person", class: Class::Time, names: &["birth date", "birthdate", "birthday", "date of birth", "dob", "born", "born on", "birth"], null_ratio: None, generates: "birth dates of people 18–85 years old", make: Make::Years(1940, 2006), pii: None },
    // Address.
    text("street_address", "address", &["street", "street address", "address", "address line", "address line 1", "address 1", "line 1", "street line", "addr"], "street lines in the row's country's form (`4821 Maple Avenue`, `Hauptstraße 12`)", T::Street).pii(PiiCategory::Contact),
    text("address_line_2", "address", &["address line 2", "address 2", "line 2", "apartment", "apt", "suite"], "apartment and suite numbers", T::Pattern("Apt. ^##")),
    text("building_number", "address", &["building number", "house number", "street number"], "house numbers", T::Pattern("^##")),
    text("city", "address", &["city", "town", "municipality", "locality", "city name"], "the row's city", T::City),
    text("state", "address", &["state", "province", "region", "county", "state name", "prefecture"], "the row's state, province or region", T::State),
    text("state_code", "address", &["state code", "province code", "region code", "state abbr"], "the code of the row's region (`NY`, `BE`)", T::StateCode),
    text("postal_code", "address", &["zip", "zipcode", "zip code", "postal code", "postcode", "postal", "post code"], "postal codes of the row's city, in its country's format", T::Zip),
    text("country", "address", &["country", "nation", "country name"], "the row's country", T::Country),
    text("country_code", "address", &["country code", "iso2", "country iso", "iso country", "country iso2"], "the row's ISO 3166 country code", T::CountryCode),
    text("timezone", "address", &["timezone", "time zone", "tz", "tz name"], "the IANA time zone of the row's place", T::Timezone),
    Kind { name: "latitude", category: "address", class: Class::Number, names: &["latitude", "lat"], null_ratio: None, generates: "the latitude of the row's place (within a few km of its city)", make: Make::Coordinate(true), pii: None },
    Kind { name: "longitude", category: "address", class: Class::Number, names: &["longitude", "lng", "lon", "long"], null_ratio: None, generates: "the longitude of the row's place", make: Make::Coordinate(false), pii: None },
    // Company.
    text("company", "company", &["company", "company name", "organization", "organisation", "organization name", "org name", "employer", "vendor", "vendor name", "supplier", "supplier name", "business name", "merchant", "merchant name", "manufacturer", "brand", "brand name", "publisher", "bank name", "insurer", "payer"], "company names in the row's country's style (`Hartmann Logistik GmbH`)", T::Company),
    text("industry", "company", &["industry", "sector", "vertical"], "industries", T::List(l::INDUSTRIES)),
    text("catch_phrase", "company", &["slogan", "tagline", "catch phrase", "motto"], "company slogans", T::CatchPhrase),
    text("tax_id", "company", &["ein", "tax id", "tax number", "vat", "vat number", "vat id", "tin"], "tax identification numbers", T::Pattern("##-#######")),
    text("domain", "company", &["domain", "domain name", "hostname", "host"], "the row's company's domain", T::Domain),
    text("url", "company", &["url", "website", "homepage", "web site", "site url", "link", "web address", "referrer", "referer", "callback url", "endpoint", "webhook url", "redirect url"], "the row's company's website", T::Url),
    // Commerce.
    text("product_name", "commerce", &["product name", "item name", "product", "article name", "product title"], "product names", T::Product),
    text("category", "commerce", &["category", "category name", "product category", "genre"], "product categories", T::List(l::CATEGORIES)),
    text("sku", "commerce", &["sku", "product code", "item code", "article number", "part number", "model number", "mpn"], "stock-keeping units (`SKU-000042`)", T::Code),
    text("ean13", "commerce", &["ean", "ean13", "barcode", "gtin", "gtin13"], "EAN-13 barcodes with a valid check digit", T::Ean13),
    text("isbn", "commerce", &["isbn", "isbn13"], "ISBN-13s with a valid check digit", T::Isbn13),
    text("color", "commerce", &["color", "colour", "color name"], "colour names", T::List(l::COLORS)),
    text("hex_color", "commerce", &["hex color", "color hex", "color code", "colour code", "hex"], "colours as `#rrggbb`", T::HexColor),
    text("size", "commerce", &["size", "clothing size"], "clothing sizes XS–XXL", T::Weighted(l::SIZES)),
    text("material", "commerce", &["material", "fabric"], "materials", T::List(l::MATERIALS)),
    text("currency", "commerce", &["currency", "currency code", "ccy", "iso currency"], "ISO 4217 codes, 85 % the row's country's currency", T::Currency),
    text("unit_of_measure", "commerce", &["uom", "unit of measure", "unit", "measure unit"], "units of measure", T::List(l::UNITS)),
    text("order_number", "commerce", &["order number", "order no", "order ref", "order reference", "confirmation number", "confirmation code"], "order numbers (`ORD-4G7Q2K`)", T::Pattern("ORD-******")),
    text("invoice_number", "commerce", &["invoice number", "invoice no", "invoice ref", "bill number", "receipt number"], "invoice numbers (`INV-2024-004211`)", T::Pattern("INV-202#-######")),
    text("tracking_number", "commerce", &["tracking number", "tracking code", "tracking id", "tracking no", "awb"], "parcel tracking numbers", T::Pattern("1Z**********######")),
    text("coupon_code", "commerce", &["coupon", "coupon code", "promo code", "promo", "voucher", "voucher code", "discount code", "gift card code"], "coupon codes (`SAVE7QX`)", T::Pattern("@@@@##")),
    text("payment_method", "commerce", &["payment method", "payment type", "pay method", "tender type"], "card / paypal / bank transfer …", T::Weighted(l::PAYMENT_METHODS)),
    text("shipping_carrier", "commerce", &["carrier", "shipping carrier", "courier", "shipping provider", "shipper"], "parcel carriers", T::Weighted(l::CARRIERS)),
    lognormal("price", "commerce", &["price", "unit price", "list price", "sale price", "msrp", "cost", "unit cost", "amount", "total", "subtotal", "sub total", "grand total", "fee", "tax", "tax amount", "shipping", "shipping cost", "revenue", "balance", "charge", "premium", "deductible", "copay", "discount amount", "value", "net amount", "gross amount"], "money amounts (log-normal, median about 33)", 3.5, 1.0, 99_999_999.99),
    uniform("quantity", "commerce", &["quantity", "qty", "units", "stock", "quantity on hand", "on hand", "pieces", "seats"], "quantities 1–20", 1.0, 20.0),
    uniform("rating", "commerce", &["rating", "stars", "star rating", "score", "review score"], "ratings 1–5", 1.0, 5.0),
    uniform("percent", "commerce", &["percent", "percentage", "pct", "discount", "discount percent", "ratio percent"], "percentages 0–100", 0.0, 100.0),
    lognormal("weight", "commerce", &["weight", "mass", "weight kg", "weight grams", "net weight", "gross weight"], "weights (log-normal)", 1.0, 0.8, 1000.0),
    lognormal("dimension", "commerce", &["height", "width", "length", "depth", "diameter", "thickness"], "lengths (log-normal)", 3.0, 0.7, 10_000.0),
    // Finance.
    text("iban", "finance", &["iban", "iban number"], "IBANs with valid check digits", T::Iban).pii(PiiCategory::Financial),
    text("bic", "finance", &["bic", "swift", "swift code", "bic code", "swift bic"], "BIC / SWIFT codes", T::Pattern("@@@@@@**")),
    text("account_number", "finance", &["account number", "account no", "acct number", "acct no", "bank account", "account num"], "bank account numbers", T::Pattern("^#########")).pii(PiiCategory::Financial),
    text("routing_number", "finance", &["routing number", "aba", "aba number", "sort code", "bank code"], "bank routing numbers", T::Pattern("0########")),
    text("card_number", "finance", &["card number", "credit card", "credit card number", "cc number", "pan", "card no"], "card numbers that pass the Luhn check", T::CardNumber).pii(PiiCategory::Financial),
    text("card_last4", "finance", &["last4", "last 4", "card last4", "last four", "pan last4"], "the last four digits of a card", T::Pattern("####")),
    text("cvv", "finance", &["cvv", "cvc", "cvv2", "security code", "card code"], "card security codes", T::Pattern("###")),
    text("card_expiry", "finance", &["card expiry", "expiry", "exp", "card exp", "expiration date mmyy"], "card expiry dates `MM/YY`", T::CardExpiry),
    text("card_brand", "finance", &["card brand", "card type", "card network", "card scheme", "network"], "card brands by market share", T::Weighted(l::CARD_BRANDS)),
    text("mcc", "finance", &["mcc", "merchant category code", "merchant category", "mcc code"], "merchant category codes (5411 grocery, 5812 restaurants …)", T::Weighted(l::MCC_CODES)),
    text("transaction_type", "finance", &["transaction type", "txn type", "trx type", "entry type"], "purchase / refund / transfer …", T::Weighted(l::TRANSACTION_TYPES)),
    text("ticker", "finance", &["ticker", "stock symbol", "symbol", "ticker symbol"], "stock tickers", T::List(l::TICKERS)),
    uniform("interest_rate", "finance", &["interest rate", "apr", "rate", "apy", "interest"], "interest rates 0.5–24 %", 0.5, 24.0),
    uniform("credit_score", "finance", &["credit score", "fico", "fico score"], "credit scores 300–850", 300.0, 850.0),
    lognormal("salary", "finance", &["salary", "wage", "income", "annual income", "compensation", "annual salary"], "yearly salaries (median about 55,000)", 10.9, 0.45, 10_000_000.0),
    // Internet.
    text("ipv4", "internet", &["ip", "ip address", "ipv4", "client ip", "remote ip", "remote addr", "source ip", "ip addr"], "public IPv4 addresses (text columns; `inet` columns get theirs by type)", T::Ipv4),
    text("ipv6", "internet", &["ipv6", "ipv6 address"], "IPv6 addresses", T::Ipv6),
    text("mac_address", "internet", &["mac", "mac address", "hardware address"], "MAC addresses", T::MacAddress),
    text("user_agent", "internet", &["user agent", "useragent", "ua"], "browser user-agent strings by share", T::Weighted(l::USER_AGENTS)),
    text("browser", "internet", &["browser", "browser name"], "browser names by share", T::Weighted(l::BROWSERS)),
    text("device_type", "internet", &["device", "device type", "device category", "form factor"], "desktop / mobile / tablet", T::Weighted(l::DEVICES)),
    text("operating_system", "internet", &["os", "operating system", "platform", "os name"], "operating systems by share", T::Weighted(l::OPERATING_SYSTEMS)),
    text("slug", "internet", &["slug", "permalink", "url slug"], "URL slugs (`sleek-steel-chair`)", T::Slug),
    text("password_hash", "internet", &["password", "password hash", "pwd", "passwd", "hashed password", "password digest", "encrypted password", "pass hash"], "bcrypt-shaped password hashes", T::PasswordHash),
    text("api_key", "internet", &["api key", "token", "access token", "api token", "auth token", "refresh token", "secret", "secret key", "client secret", "key hash", "session token"], "API tokens (`pk_live_…`)", T::ApiToken),
    text("uuid_text", "internet", &["uuid", "guid", "external id", "correlation id", "request id", "trace id"], "UUIDs as text", T::UuidText),
    text("mime_type", "internet", &["mime type", "mime", "content type", "media type", "file type"], "MIME types", T::Weighted(l::MIME_TYPES)),
    text("file_name", "internet", &["file name", "filename", "attachment", "document name", "file"], "file names (`invoice_2023_17.pdf`)", T::FileName),
    text("http_method", "internet", &["http method", "method", "request method", "verb"], "HTTP methods by share", T::Weighted(l::HTTP_METHODS)),
    text("http_status", "internet", &["http status", "status code", "response code", "http code"], "HTTP status codes (text columns)", T::Weighted(l::HTTP_STATUSES)),
    text("log_level", "internet", &["log level", "level", "severity level", "loglevel"], "INFO / WARN / ERROR …", T::Weighted(l::LOG_LEVELS)),
    text("utm_source", "internet", &["utm source", "source", "channel", "traffic source", "acquisition channel", "referral source"], "traffic sources", T::Weighted(l::UTM_SOURCES)),
    text("event_name", "internet", &["event", "event name", "event type", "action", "activity"], "analytics events (`page_view`, `click`…)", T::Weighted(l::EVENT_NAMES)),
    text("hashtag", "internet", &["hashtag"], "hashtags", T::Hashtag),
    uniform("port", "internet", &["port", "port number"], "TCP ports 1024–65535", 1024.0, 65535.0),
    lognormal("counter", "internet", &["views", "page views", "clicks", "visits", "likes", "followers", "downloads", "impressions", "shares", "mileage", "odometer", "plays", "retries", "attempts", "hits", "view count", "views count", "like count", "likes count", "comment count", "comments count", "share count", "click count", "download count", "follower count", "followers count", "reply count", "vote count", "upvotes", "play count", "visit count"], "counts (log-normal: most small, a few large)", 3.0, 1.3, 10_000_000.0),
    lognormal("duration", "internet", &["duration", "duration ms", "duration seconds", "elapsed", "latency", "response time", "minutes", "seconds", "ms"], "durations (log-normal)", 4.0, 1.0, 10_000_000.0),
    lognormal("file_size", "internet", &["file size", "size bytes", "bytes", "byte size", "content length"], "file sizes in bytes (log-normal)", 11.0, 1.6, 10_000_000_000.0),
    // Text.
    text("title", "text", &["title", "subject", "headline", "heading", "caption", "post title", "article title", "blog title", "page title"], "headlines (`How we cut our cloud bill by 30%`); product names in product tables, ticket titles in ticket tables, job titles in job tables", T::Prose(P::Title)),
    text("ticket_title", "text", &["ticket title", "issue title", "task title", "bug title", "ticket subject", "issue summary", "ticket summary", "task name", "issue subject"], "ticket and task titles (`Cannot reset password after update`)", T::Prose(P::TicketTitle)),
    text("review_title", "text", &["review title", "review headline", "review summary"], "review titles (`Great value for money`)", T::ReviewTitle),
    text("description", "text", &["description", "desc", "details", "summary", "overview", "narrative", "synopsis", "short description", "long description"], "one to three sentences describing the row (`A practical six-week course on budgeting.`); product descriptions in product tables, reviews in review tables", T::Prose(P::Description)),
    text("product_description", "text", &["product description", "item description", "product details", "product summary", "listing description", "product desc"], "product descriptions of two to four sentences (`A lightweight backpack made from waxed canvas. ...`)", T::Prose(P::ProductDescription)),
    text("review_text", "text", &["review", "review text", "review body", "review content", "review comment", "feedback", "customer feedback", "testimonial"], "customer reviews of one to four sentences, happy, mixed or unhappy (`Really happy with this lamp. Would definitely buy again.`)", T::Prose(P::Review)),
    text("comment", "text", &["comment", "comments", "message", "body", "content", "text", "reply", "response", "message body", "comment text", "chat message", "post body", "post content"], "comments and messages (`Could you send me the invoice by Friday?`); reviews in review tables", T::Prose(P::Comment)),
    text("bio", "text", &["bio", "biography", "about", "about me", "profile", "profile text", "author bio", "personal statement"], "short profile texts (`Product designer based in Lisbon. Into hiking and board games.`)", T::Prose(P::Bio)),
    text("note", "text", &["note", "notes", "remark", "remarks", "internal notes", "internal note", "admin notes", "staff notes", "private notes", "agent notes", "memo", "annotation"], "internal notes of one or two sentences (`Prefers email over phone calls.`)", T::Prose(P::Note)),
    text("instructions", "text", &["instructions", "delivery instructions", "special instructions", "shipping instructions", "delivery notes", "delivery note", "driver notes", "special requests"], "delivery and order instructions (`Leave the parcel at the back door.`)", T::Prose(P::Instructions)),
    text("reason", "text", &["reason", "cancel reason", "cancellation reason", "refund reason", "return reason", "rejection reason", "decline reason", "void reason", "reason text", "status reason"], "short reasons (`Item arrived damaged`, `Ordered the wrong size`)", T::Prose(P::Reason)),
    text("word", "text", &["tag", "keyword", "label", "term"], "tag words (`summer`, `bestseller`, `eco-friendly`)", T::Prose(P::Tag)),
    // Identifiers.
    text("code", "identifier", &["code", "reference", "ref", "ref no", "reference number", "reference code", "external ref", "identifier"], "codes (`SKU-000042`)", T::Code),
    text("license_plate", "identifier", &["license plate", "licence plate", "plate number", "plate", "registration number", "number plate"], "licence plates (`7ABC123`)", T::Pattern("^@@@###")),
    text("vin", "identifier", &["vin", "vehicle identification number", "chassis number"], "17-character vehicle identification numbers", T::Pattern("1HG*****#@#######")),
    text("version", "identifier", &["version", "app version", "semver", "release"], "version numbers (`2.4.11`)", T::Pattern("^.#.#")),
    text("ticket_number", "identifier", &["ticket number", "ticket no", "case number", "incident number"], "ticket numbers (`TCK-104233`)", T::Pattern("TCK-^#####")),
    // Status.
    text("status", "status", &["status", "state flag", "account status", "user status"], "active 70 % / inactive / pending / suspended", T::Weighted(l::STATUSES)),
    text("priority", "status", &["priority", "severity", "urgency"], "low / medium / high / critical", T::Weighted(l::PRIORITIES)),
    // Time.
    time("created_at", &["created", "created at", "created on", "creation date", "inserted at", "registered at", "signup date", "signed up at", "joined at", "date joined", "registration date", "opened at", "ordered at", "order date", "placed at", "issued at", "started at", "start date", "occurred at", "timestamp", "event time", "date"], "dates and times in 2020–2025", Make::Years(2020, 2025), None),
    time("updated_at", &["updated", "updated at", "modified", "modified at", "last modified", "changed at", "edited at"], "0–90 days after the row's `created…` column", Make::AfterCreated(0, 90), None),
    time("deleted_at", &["deleted", "deleted at", "removed at", "archived at", "deactivated at", "cancelled at", "canceled at", "closed at", "ended at", "end date", "terminated at", "revoked at"], "mostly NULL (90 %); otherwise 1–365 days after `created…`", Make::AfterCreated(1, 365), Some(0.9)),
    time("expires_at", &["expires", "expires at", "expiry date", "expiration", "expiration date", "valid until", "expire at", "due date", "due at", "renews at", "next billing date"], "30–730 days after the row's `created…` column", Make::AfterCreated(30, 730), None),
    time("last_seen_at", &["last login", "last login at", "last seen", "last seen at", "last active", "last active at", "last used at", "last accessed at"], "0–180 days after the row's `created…` column", Make::AfterCreated(0, 180), None),
    time("completed_at", &["completed at", "shipped at", "delivered at", "paid at", "resolved at", "approved at", "confirmed at", "processed at", "posted at", "verified at", "finished at", "published at", "submitted at", "accepted at", "sent at", "dispatched at", "fulfilled at", "settled at", "signed at", "activated at", "reviewed at"], "1–30 days after the row's `created…` column", Make::AfterCreated(1, 30), None),
    // Flags.
    flag("is_active", &["active", "enabled", "verified", "visible", "available", "published", "is active", "is enabled", "is verified", "confirmed", "approved", "in stock", "subscribed", "opt in", "accepts marketing", "email verified"], "true 85 %", 0.85),
    flag("is_deleted", &["deleted", "archived", "blocked", "banned", "suspended", "disabled", "is deleted", "locked", "fraud", "is fraud", "flagged", "spam", "refunded", "cancelled"], "true 5 %", 0.05),
    flag("is_admin", &["admin", "is admin", "superuser", "is staff", "staff", "internal", "test", "is test", "sandbox"], "true 3 %", 0.03),
];

/// The kind named `name`.
#[must_use]
pub fn by_name(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.name == name)
}

/// The kinds table of the README, generated so that it cannot drift.
#[must_use]
pub fn markdown() -> String {
    let mut out = String::from("| Kind | Category | Column types | Inferred from column names like | Generates |\n|---|---|---|---|---|\n");
    for k in KINDS {
        let class = match k.class {
            Class::Text => "text",
            Class::Number => "number",
            Class::Time => "date/time",
            Class::Bool => "boolean",
        };
        let names: Vec<String> = k
            .names
            .iter()
            .take(6)
            .map(|n| format!("`{}`", n.replace(' ', "_")))
            .collect();
        let more = if k.names.len() > 6 { ", …" } else { "" };
        out.push_str(&format!(
            "| `{}` | {} | {class} | {}{more} | {} |\n",
            k.name,
            k.category,
            names.join(", "),
            k.generates
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_there_are_many() {
        let mut names: Vec<&str> = KINDS.iter().map(|k| k.name).collect();
        names.sort_unstable();
        let before = names.len();
        names.dedup();
        assert_eq!(before, names.len(), "kind names are unique");
        assert!(KINDS.len() >= 120, "{} kinds", KINDS.len());
    }
}

//! Customer reviews: one to four sentences, all of one mood (happy, mixed
//! or unhappy), about one thing (`$P`).

use super::{weighted, Slots, Writer};

/// A review: a mood (the given one, else drawn), then its sentences.
pub(super) fn review(w: &mut Writer<'_>, mood: Option<usize>) {
    let drawn = weighted(w, &[60, 20, 20]);
    let (openings, body): (&[&str], &[&str]) = match mood.unwrap_or(drawn) {
        0 => (HAPPY_OPENINGS, HAPPY),
        1 => (MIXED_OPENINGS, MIXED),
        _ => (UNHAPPY_OPENINGS, UNHAPPY),
    };
    w.sentence(openings, SLOTS);
    let more = weighted(w, &[25, 35, 25, 15]);
    for _ in 0..more {
        w.another(body, SLOTS);
    }
}

const HAPPY_OPENINGS: &[&str] = &[
    "Really happy with this $P.",
    "Exactly as described and arrived ^ days early.",
    "Love it!",
    "Best $P I have owned.",
    "Five stars, no complaints.",
    "Great $q and fast shipping.",
    "Worth every penny.",
    "Much better than the one I had before.",
    "Bought this for my $r and they love it.",
    "This $P exceeded my expectations.",
    "Second time ordering and still impressed.",
    "Exactly what I was looking for.",
    "So glad I went with this one.",
    "Excellent $P for the price.",
    "Does exactly what it says.",
];

const HAPPY: &[&str] = &[
    "The $q is excellent for the price.",
    "I have used it every day for $d and it still looks new.",
    "Would definitely buy again.",
    "The $q surprised me in a good way.",
    "Setup took less than ^ minutes.",
    "Fits perfectly and feels $t.",
    "Already ordered a second one for $z.",
    "Customer service answered within an hour and sorted everything out.",
    "Love the $c color.",
    "Highly recommend to anyone looking for @$a $P.",
    "It arrived well packed and on time.",
    "My $r borrowed it and now wants one too.",
    "The $q is better than brands that cost twice as much.",
    "It looks even better in person.",
    "No regrets at all.",
    "Easy to clean and easy to store.",
    "Gets compliments every time I use it.",
    "The $q is spot on.",
    "Great gift idea.",
    "Sturdy, simple and well thought out.",
];

const MIXED_OPENINGS: &[&str] = &[
    "Good $P overall, but the $q could be better.",
    "Does the job, although the $q feels a bit cheap.",
    "Decent for the price.",
    "Not perfect, but I would buy it again.",
    "Solid $P, though a bit heavier than expected.",
    "Nice design, but it runs $s.",
    "It is fine.",
    "Three stars because the $q is average.",
    "Mostly happy with it.",
    "Took $d to arrive, but it was worth the wait.",
];

const MIXED: &[&str] = &[
    "Love the $q, but the zipper feels flimsy.",
    "It works, but the instructions were confusing.",
    "I would size up if I ordered again.",
    "The color is a little different from the photos.",
    "Packaging could be better.",
    "For the price, I expected a better $q.",
    "Customer service was helpful once I got through.",
    "I might buy it again if it goes on sale.",
    "It does what I need, nothing more.",
    "The $q is fine after a few days of use.",
    "Shipping took longer than promised.",
    "Not bad, just not amazing.",
    "It has a slight smell at first that goes away.",
    "Would be five stars with a better $q.",
];

const UNHAPPY_OPENINGS: &[&str] = &[
    "Stopped working after $d.",
    "Very disappointed.",
    "Not worth the money.",
    "Arrived with a $k.",
    "Smaller than it looks in the pictures.",
    "Returned it the same week.",
    "The $q is much worse than I expected.",
    "Would not recommend this $P.",
    "Poor $q for the price.",
    "Do not buy this $P.",
];

const UNHAPPY: &[&str] = &[
    "Customer service never replied to my emails.",
    "Would not recommend.",
    "The color is nothing like the listing.",
    "Returned it; the $q was a letdown.",
    "Disappointed, especially at this price.",
    "Had to return it after $d.",
    "The replacement had the same problem.",
    "It feels cheap and flimsy.",
    "Still waiting for my refund.",
    "The $q fell apart within $d.",
    "Two stars because the delivery was quick.",
    "Save your money and look elsewhere.",
    "I expected much more from this brand.",
    "It does not fit as described.",
];

const SLOTS: Slots = &[
    (
        b'p',
        &[
            "product",
            "purchase",
            "jacket",
            "blender",
            "backpack",
            "lamp",
            "chair",
            "case",
            "mattress",
            "vacuum",
            "kettle",
            "pair of shoes",
            "phone charger",
            "desk",
            "tent",
            "coffee maker",
            "rug",
            "watch",
            "speaker",
            "bag",
        ],
    ),
    (
        b'q',
        &[
            "quality",
            "build quality",
            "fit",
            "finish",
            "color",
            "packaging",
            "size",
            "material",
            "stitching",
            "battery life",
            "sound",
            "comfort",
            "customer service",
            "delivery",
            "zipper",
            "price",
            "design",
            "handle",
        ],
    ),
    (
        b'r',
        &[
            "sister",
            "dad",
            "partner",
            "son",
            "mother-in-law",
            "roommate",
            "grandmother",
            "best friend",
            "daughter",
            "husband",
            "wife",
            "coworker",
            "brother",
            "mom",
            "neighbor",
        ],
    ),
    (
        b'd',
        &[
            "two weeks",
            "a month",
            "three months",
            "half a year",
            "over a year",
            "a few weeks",
            "ten days",
            "two months",
            "a week",
        ],
    ),
    (
        b't',
        &[
            "solid",
            "well made",
            "sturdy",
            "premium",
            "comfortable",
            "really nice",
        ],
    ),
    (
        b'z',
        &[
            "the office",
            "my parents",
            "the cabin",
            "our guest room",
            "my car",
            "my sister",
            "the kids",
        ],
    ),
    (b'c', super::COLOURS),
    (
        b'a',
        &[
            "reliable",
            "good",
            "simple",
            "well-made",
            "sturdy",
            "affordable",
            "quality",
            "comfortable",
        ],
    ),
    (
        b's',
        &[
            "small",
            "large",
            "a little narrow",
            "short",
            "big in the shoulders",
        ],
    ),
    (
        b'k',
        &[
            "scratch on the side",
            "cracked lid",
            "missing screw",
            "torn seam",
            "dent in the corner",
            "broken zipper",
            "loose handle",
            "stain on the front",
        ],
    ),
];

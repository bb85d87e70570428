//! Delivery and order instructions: what a customer tells the courier or the kitchen.

use super::{Slots, Writer};

/// One instruction, sometimes two.
pub(super) fn instructions(w: &mut Writer<'_>) {
    w.sentence(INSTRUCTIONS, SLOTS);
    if w.chance(0.4) {
        w.another(INSTRUCTIONS, SLOTS);
    }
}

const INSTRUCTIONS: &[&str] = &[
    "Leave the $k $l.",
    "Please ring the bell twice.",
    "Call when you arrive, the $b is broken.",
    "Gate code is ^###.",
    "Do not leave the $k unattended.",
    "Knock loudly, the $b does not work.",
    "Deliver after ^ pm, nobody is home before.",
    "If no one answers, leave it $l.",
    "Fragile, please handle with care.",
    "Apartment ^#, $o floor.",
    "Beware of the friendly dog.",
    "Text me $m minutes before arrival.",
    "Contactless delivery, please.",
    "Please do not bend.",
    "Signature required.",
    "Ring the bell and wait, it takes me a minute to get downstairs.",
    "Leave it with the concierge.",
    "Office closes at ^ pm.",
    "Use the intercom and ask for $r.",
    "Put the $k inside the gate and close it behind you.",
    "Cold items, please deliver as soon as possible.",
    "No onions, please.",
    "Extra napkins, please.",
    "Sauce on the side.",
    "Please include cutlery.",
    "Gift wrap it and leave out the receipt.",
    "Park in the visitor spot.",
    "The house is the $c one at the end of the road.",
    "The back alley is blocked, use the $n entrance.",
    "Please call instead of texting.",
    "Deliver on weekdays only.",
    "Leave the $k $l and send a photo.",
    "Ask for $r when you arrive.",
    "Do not ring, the baby is sleeping.",
    "Use the $n entrance next to the bakery.",
    "Please take the $k up to the $o floor.",
    "Mild spice, and no cilantro.",
    "Hand the $k to me in person only.",
    "Buzzer ^#; it says $q on the label.",
    "Heavy $k, two people may be needed.",
];

const SLOTS: Slots = &[
    (
        b'k',
        &["parcel", "package", "box", "delivery", "order", "groceries"],
    ),
    (
        b'l',
        &[
            "at the back door",
            "with the neighbor at number ^#",
            "in the garage",
            "behind the gate",
            "at the front desk",
            "in the parcel locker",
            "on the porch",
            "with reception",
            "under the stairs",
            "by the side entrance",
            "in the mailbox",
            "at the loading dock",
            "next to the recycling bins",
            "in the shed",
        ],
    ),
    (
        b'b',
        &["buzzer", "doorbell", "intercom", "gate bell", "door phone"],
    ),
    (
        b'o',
        &["second", "third", "fourth", "fifth", "top", "ground"],
    ),
    (
        b'r',
        &[
            "reception",
            "the mailroom",
            "the security desk",
            "the office manager",
            "the front desk",
        ],
    ),
    (
        b'c',
        &["blue", "white", "green", "yellow", "red brick", "gray"],
    ),
    (b'n', &["side", "rear", "north", "south", "staff"]),
    (b'm', &["5", "10", "15", "20", "30"]),
    (
        b'q',
        &["Reception", "Office", "Studio", "Flat ^", "Unit ^#"],
    ),
];

//! Notes and remarks: what staff write on a customer, order or account.

use super::{Slots, Writer};

/// One sentence, sometimes two.
pub(super) fn note(w: &mut Writer<'_>) {
    w.sentence(NOTES, SLOTS);
    if w.chance(0.35) {
        w.another(NOTES, SLOTS);
    }
}

const NOTES: &[&str] = &[
    "Customer called about the delayed $t; promised a callback $w.",
    "Prefers $c.",
    "VIP client, handle with care.",
    "Follow up $w about the $t.",
    "Sent the $t to $s for approval.",
    "Waiting on $s before we can close this.",
    "Paid by bank transfer; $t confirmed $g.",
    "Asked for a $r discount on the next order.",
    "Second request this month; escalate if it happens again.",
    "Do not call before 10 am.",
    "Duplicate of an earlier $t, closed.",
    "Spoke with $s; everything is on track.",
    "Reminder: the $t expires at the end of the month.",
    "Left a voicemail, no answer yet.",
    "Gave a goodwill credit of $$^0.",
    "Account on hold until the $t is paid.",
    "Needs step-free access.",
    "Allergic to nuts; flag on every order.",
    "Customer since 201^.",
    "Checked stock with $s, back in ^ weeks.",
    "Signed $t received and filed.",
    "Moved to the $p plan in $m.",
    "Tax exempt; certificate on file.",
    "Wants the $t split into two payments.",
    "Prefers to be called by their first name.",
    "Interested in a demo of the new features.",
    "Complained about $k; offered $o.",
    "No further action needed.",
    "Check again once the $t is processed.",
    "Reviewed with $s on $d.",
    "Missing tax ID; requested by email.",
    "Address changed $g; $t updated.",
    "Asked to be removed from the newsletter.",
    "Large order expected in $m.",
    "Gift order, do not include prices.",
    "Requested a copy of the $t by post.",
    "Card expires soon, reminded by email.",
    "Handled by $s while the usual contact is away.",
    "Happy with the service, may refer a friend.",
    "Pays late but always pays.",
];

const SLOTS: Slots = &[
    (
        b't',
        &[
            "invoice",
            "refund",
            "contract",
            "shipment",
            "quote",
            "replacement",
            "payment",
            "order",
            "renewal",
            "credit note",
            "reservation",
            "purchase order",
            "return",
            "warranty claim",
        ],
    ),
    (
        b'c',
        &[
            "email over phone calls",
            "phone calls to email",
            "text messages",
            "calls in the morning",
            "a single monthly invoice",
            "delivery on weekdays",
            "paper invoices",
            "to be contacted through their assistant",
        ],
    ),
    (
        b'w',
        &[
            "on Monday",
            "tomorrow",
            "on Friday",
            "next week",
            "by end of day",
            "after the holidays",
            "in two days",
        ],
    ),
    (
        b'g',
        &[
            "today",
            "yesterday",
            "on Monday",
            "last week",
            "this morning",
        ],
    ),
    (
        b's',
        &[
            "the account manager",
            "billing",
            "the warehouse",
            "support",
            "the sales team",
            "finance",
            "legal",
            "the store manager",
            "operations",
        ],
    ),
    (b'r', &["5%", "10%", "15%", "20%"]),
    (
        b'p',
        &["annual", "premium", "basic", "team", "business", "starter"],
    ),
    (
        b'm',
        &[
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ],
    ),
    (
        b'd',
        &[
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "the 1^th",
            "the 2^th",
        ],
    ),
    (
        b'k',
        &[
            "a late delivery",
            "a damaged box",
            "a missing item",
            "a billing error",
            "rude service",
            "a wrong size",
            "a double charge",
        ],
    ),
    (
        b'o',
        &[
            "a partial refund",
            "a free replacement",
            "a discount code",
            "store credit",
            "free shipping on the next order",
        ],
    ),
];

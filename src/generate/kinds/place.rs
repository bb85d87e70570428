//! Coordinates of a row's place: near its city, so latitude and longitude
//! agree with the row's city, region and postal code.

use rand::RngExt;

use super::locale;
use crate::generate::{FillCtx, ValueGen};
use crate::value::{ColumnBuf, ColumnData};

/// The latitude or longitude of the row's place, within about 5 km of its city centre.
#[derive(Debug, Clone)]
pub struct Coordinate {
    /// Latitude (`true`) or longitude.
    pub latitude: bool,
    /// Whose place (0: the row's own).
    pub who: u64,
    /// The locales rows come from.
    pub locales: locale::Mix,
    /// Decimal places of a `numeric` column (values are scaled integers there).
    pub scale: Option<u32>,
}

impl ValueGen for Coordinate {
    fn fill(&self, ctx: &FillCtx<'_>, out: &mut ColumnBuf) {
        for &row in ctx.rows {
            let l = locale::locale_of(ctx.table_key, row, &self.locales);
            let place = locale::place_of(ctx.table_key, row, self.who, l);
            // Latitude and longitude take separate offsets from one draw per row.
            let mut r = locale::place_rng(ctx.table_key, row, self.who, "#coordinate");
            let (dlat, dlon) = (r.random_range(-0.045..0.045), r.random_range(-0.06..0.06));
            let v = if self.latitude {
                (place.lat + dlat).clamp(-90.0, 90.0)
            } else {
                (place.lon + dlon).clamp(-180.0, 180.0)
            };
            match &mut out.data {
                ColumnData::Float(vals) => vals.push((v * 1e6).round() / 1e6),
                #[allow(clippy::cast_possible_truncation)]
                ColumnData::Numeric(vals) => {
                    let factor = 10f64.powi(i32::try_from(self.scale.unwrap_or(6)).unwrap_or(6));
                    vals.push((v * factor).round() as i128);
                }
                #[allow(clippy::cast_possible_truncation)]
                ColumnData::Int(vals) => vals.push(v.round() as i64),
                _ => {}
            }
            out.nulls.push(false);
        }
    }
}

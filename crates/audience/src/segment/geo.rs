//! Radius search as plain SQL arithmetic: SQLite has no trigonometry by default, so every cosine is computed
//! here and bound as a parameter.
//!
//! The SQL keeps a contact when it lies in a bounding box (which the `(tenant_id, lat)` index can drive) and
//! when the equirectangular distance, with the cosine taken at the mean latitude of the centre and the contact,
//! is within the radius. `cos(mean latitude)` is linearised around the centre's latitude:
//! `cos((lat0 + lat) / 2) ≈ cos(lat0) - sin(lat0) · (lat - lat0) · π/360`, which needs only multiplication.
//!
//! Accuracy, checked against the haversine distance by the tests below: within 0.5 % for radii up to 100
//! miles and within 1 % up to 500 miles ([`MAX_RADIUS_MILES`](super::MAX_RADIUS_MILES)), at latitudes up
//! to 65° (the contiguous US, Hawaii and most of Alaska). A contact whose true distance is 25 miles may
//! therefore fall in or out of a 25-mile search by about 0.1 mile. The search does not wrap the antimeridian.

use super::checked::Circle;

/// Mean Earth radius in miles (IUGG).
pub(crate) const EARTH_RADIUS_MILES: f64 = 3958.8;

/// Miles per degree of latitude (and of longitude at the equator).
pub(crate) const MILES_PER_DEGREE: f64 = EARTH_RADIUS_MILES * std::f64::consts::PI / 180.0;

/// The numbers the radius SQL binds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct RadiusBounds {
    pub lat_min: f64,
    pub lat_max: f64,
    /// `None` when the box would wrap the antimeridian or reach a pole; the distance test still applies.
    pub lon_range: Option<(f64, f64)>,
    pub lat0: f64,
    pub lon0: f64,
    /// cos(lat0).
    pub cos_lat0: f64,
    /// sin(lat0) · π/360: the change of the cosine factor per degree of latitude away from the centre.
    pub cos_slope: f64,
    /// The radius in degrees of latitude, squared.
    pub radius_deg_sq: f64,
}

impl RadiusBounds {
    pub(crate) fn new(circle: Circle) -> Self {
        let radius_deg = circle.miles / MILES_PER_DEGREE;
        let lat_min = circle.lat - radius_deg;
        let lat_max = circle.lat + radius_deg;
        let lat_rad = circle.lat.to_radians();
        // The widest longitude span of the circle is at most the span at its farthest latitude from the equator.
        let farthest = circle.lat.abs() + radius_deg;
        let lon_range = if farthest < 89.0 {
            let lon_radius = radius_deg / farthest.to_radians().cos();
            let (west, east) = (circle.lon - lon_radius, circle.lon + lon_radius);
            (west >= -180.0 && east <= 180.0).then_some((west, east))
        } else {
            None
        };
        RadiusBounds {
            lat_min,
            lat_max,
            lon_range,
            lat0: circle.lat,
            lon0: circle.lon,
            cos_lat0: lat_rad.cos(),
            cos_slope: lat_rad.sin() * std::f64::consts::PI / 360.0,
            radius_deg_sq: radius_deg * radius_deg,
        }
    }

    /// The same test the SQL makes, for tests and for callers that filter in memory.
    #[cfg(test)]
    pub(crate) fn contains(&self, lat: f64, lon: f64) -> bool {
        let in_lon = self
            .lon_range
            .is_none_or(|(west, east)| (west..=east).contains(&lon));
        (self.lat_min..=self.lat_max).contains(&lat)
            && in_lon
            && self.approx_distance_deg_sq(lat, lon) <= self.radius_deg_sq
    }

    #[cfg(test)]
    fn approx_distance_deg_sq(&self, lat: f64, lon: f64) -> f64 {
        let x = (lon - self.lon0) * (self.cos_lat0 - self.cos_slope * (lat - self.lat0));
        let y = lat - self.lat0;
        x * x + y * y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn haversine_miles(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
        let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
        let dp = p2 - p1;
        let dl = (lon2 - lon1).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_MILES * a.sqrt().asin()
    }

    /// Walks a circle of bearings and finds the largest relative error of the approximate distance.
    fn worst_relative_error(lat0: f64, lon0: f64, miles: f64) -> f64 {
        let bounds = RadiusBounds::new(Circle {
            lat: lat0,
            lon: lon0,
            miles,
        });
        let mut worst: f64 = 0.0;
        for step in 0..360 {
            let bearing = f64::from(step).to_radians();
            // Destination point at `miles` along `bearing`, on the sphere.
            let delta = miles / EARTH_RADIUS_MILES;
            let p1 = lat0.to_radians();
            let p2 = (p1.sin() * delta.cos() + p1.cos() * delta.sin() * bearing.cos()).asin();
            let l2 = lon0.to_radians()
                + (bearing.sin() * delta.sin() * p1.cos()).atan2(delta.cos() - p1.sin() * p2.sin());
            let (lat, lon) = (p2.to_degrees(), l2.to_degrees());
            let true_miles = haversine_miles(lat0, lon0, lat, lon);
            let approx_miles = bounds.approx_distance_deg_sq(lat, lon).sqrt() * MILES_PER_DEGREE;
            worst = worst.max((approx_miles - true_miles).abs() / true_miles);
            // The bounding box must hold every point that the distance test keeps.
            if approx_miles <= miles * 0.999 {
                assert!(
                    bounds.contains(lat, lon),
                    "box misses ({lat}, {lon}) around ({lat0}, {lon0})"
                );
            }
        }
        worst
    }

    #[test]
    fn accuracy_is_as_documented() {
        for lat0 in [0.0, 25.0, 39.95, 48.0, 61.2, 65.0, -33.9] {
            for miles in [1.0, 10.0, 25.0, 100.0] {
                let error = worst_relative_error(lat0, -100.0, miles);
                assert!(error < 0.005, "lat {lat0}, {miles} mi: {error}");
            }
            let error = worst_relative_error(lat0, -100.0, 500.0);
            assert!(error < 0.01, "lat {lat0}, 500 mi: {error}");
        }
    }

    #[test]
    fn box_drops_longitude_across_the_antimeridian() {
        let bounds = RadiusBounds::new(Circle {
            lat: 52.0,
            lon: 179.9,
            miles: 25.0,
        });
        assert_eq!(bounds.lon_range, None);
        let bounds = RadiusBounds::new(Circle {
            lat: 39.95,
            lon: -75.16,
            miles: 25.0,
        });
        let (west, east) = bounds.lon_range.unwrap();
        assert!(west < -75.6 && east > -74.7, "{west} {east}");
    }

    #[test]
    fn a_known_distance() {
        // Philadelphia City Hall to Trenton City Hall: about 28.4 miles.
        let bounds = RadiusBounds::new(Circle {
            lat: 39.9526,
            lon: -75.1635,
            miles: 29.0,
        });
        assert!(bounds.contains(40.2206, -74.7597));
        let bounds = RadiusBounds::new(Circle {
            lat: 39.9526,
            lon: -75.1635,
            miles: 28.0,
        });
        assert!(!bounds.contains(40.2206, -74.7597));
    }
}

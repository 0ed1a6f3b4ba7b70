pub const PI: f64 = std::f64::consts::PI;

pub fn square(x: f64) -> f64 {
    x * x
}

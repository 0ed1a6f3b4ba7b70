pub fn circle_area(r: f64) -> f64 {
    fastmath::PI * fastmath::square(r)
}

fn main() {
    println!("area: {}", geometry::circle_area(2.0));
}

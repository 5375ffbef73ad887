/// Zero-padded decimal text for dates, codes and ID numbers: `pad(7, 3)` is "007".
func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

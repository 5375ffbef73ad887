/// Zero-padded decimal text for dates, codes and ID numbers: `zeroPadded(7, 3)` is "007".
public func zeroPadded(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
}

/// The six items every security volunteer is issued (the town plan's insignia).
public enum InsigniaItem: String, Sendable, Hashable, CaseIterable {
    case armband, vest
    case tShirt = "t_shirt"
    case badge
    case sunHat = "sun_hat"
    case smallFlag = "small_flag"
}

/// Who receives or returns an item: a volunteer, or a team as a whole.
public enum Holder: Sendable, Hashable {
    case volunteer(Int64)
    case team(Int64)
}

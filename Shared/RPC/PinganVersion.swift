/// The release every Pingan executable reports (health checks, `--version`).
public enum PinganVersion {
    public static let current = "0.1.0"
}

import Logging
@testable import PinganServiceHost
import Synchronization
import Testing

@Suite("Logs: nothing a peer sends can forge a line or flood the journal")
struct SanitizingLogHandlerTests {
    @Test("control and invisible-formatting characters are written as \\u{..}", arguments: [
        ("a\nb", "a\\u{a}b"),
        ("x\r\n2026-12-01T00:00:00+0000 critical forged", "x\\u{d}\\u{a}2026-12-01T00:00:00+0000 critical forged"),
        ("\u{0}\u{0}", "\\u{0}\\u{0}"),
        ("\u{1B}[31mred", "\\u{1b}[31mred"),
        ("a\u{2028}b\u{202E}c", "a\\u{2028}b\\u{202e}c"),
        ("第十七居委会 JC-017", "第十七居委会 JC-017"),
    ])
    func escapes(_ raw: String, _ written: String) {
        #expect(SanitizingLogHandler.clean(raw, limit: 100) == written)
    }

    @Test("a long value is cut, saying how much was left out")
    func bounded() {
        #expect(SanitizingLogHandler.clean(String(repeating: "x", count: 300), limit: 256) == String(repeating: "x", count: 256) + "…(+44)")
    }

    /// Keeps what reaches the real handler.
    final class Capture: Sendable {
        let events = Mutex<[LogEvent]>([])
        let handler = Mutex(Logger.Metadata())
    }

    struct CapturingHandler: LogHandler {
        let capture: Capture
        var logLevel: Logger.Level = .trace
        var metadata: Logger.Metadata {
            get { capture.handler.withLock { $0 } }
            set { capture.handler.withLock { $0 = newValue } }
        }
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { capture.handler.withLock { $0[key] } }
            set { capture.handler.withLock { $0[key] = newValue } }
        }
        func log(event: LogEvent) { capture.events.withLock { $0.append(event) } }
    }

    @Test("message, call metadata and a logger's own metadata are all cleaned before they reach the stream")
    func everythingCleaned() {
        let capture = Capture()
        var logger = Logger(label: "test") { _ in SanitizingLogHandler(wrapped: CapturingHandler(capture: capture)) }
        logger[metadataKey: "request.id"] = "r1\ncritical: forged"
        logger.info("call refused\u{0}", metadata: ["rpc.method": "/a.B/C\n", "peer": .stringConvertible("cn:x\u{1B}")])
        let event = capture.events.withLock { $0.first }
        #expect(event?.message.description == "call refused\\u{0}")
        #expect(event?.metadata?["rpc.method"] == .string("/a.B/C\\u{a}"))
        #expect(event?.metadata?["peer"] == .string("cn:x\\u{1b}"))
        #expect(capture.handler.withLock { $0["request.id"] } == .string("r1\\u{a}critical: forged"))
    }
}

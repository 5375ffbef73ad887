@testable import PinganRPCTransport
import PinganRPC
import Testing

/// The client waits for a shared connection attempt under each caller's own deadline.
@Suite("Client: waiting under a deadline")
struct ClientDeadlineTests {
    @Test("an outcome that comes before the deadline always wins: a far deadline is never reported when the answer is there")
    func answerBeatsFarDeadline() async throws {
        // The timer used to report the deadline when it was cancelled, racing the answer: a
        // command with 30 seconds left failed at once "while connecting", now and then.
        for round in 0..<2_000 {
            let task = Task<Int, any Error> { round }
            let value = try await RPCClient.value(of: task, before: .now + .seconds(60), what: "connecting")
            #expect(value == round)
        }
    }

    @Test("a task's failure wins too, and a task slower than the deadline gets DEADLINE_EXCEEDED naming what was waited for")
    func failureAndDeadline() async throws {
        let failing = Task<Int, any Error> { throw RPCError(.unavailable, "refused") }
        await #expect { _ = try await RPCClient.value(of: failing, before: .now + .seconds(60), what: "connecting") } throws: {
            ($0 as? RPCError)?.code == .unavailable
        }
        let slow = Task<Int, any Error> {
            try await Task.sleep(for: .seconds(30))
            return 1
        }
        defer { slow.cancel() }
        await #expect { _ = try await RPCClient.value(of: slow, before: .now + .milliseconds(20), what: "connecting to 127.0.0.1:1") } throws: {
            ($0 as? RPCError)?.code == .deadlineExceeded && ($0 as? RPCError)?.message == "the deadline passed while connecting to 127.0.0.1:1"
        }
    }
}

import Foundation
import Prometheus
import PinganRPC
import PinganRPCTransport
import PinganTestSupport
import Testing

@Suite("Metrics", .timeLimit(.minutes(2)))
struct MetricsTests {
    @Test("calls are counted per method and status code, with a latency histogram per method")
    func callsAreCounted() async throws {
        let registry = PrometheusCollectorRegistry()
        let server = try await TestServer.start(metrics: CallMetrics(factory: PrometheusMetricsFactory(registry: registry)))
        let connection = try await server.connect()
        for index in 0..<3 {
            let _: TestService.Response = try await connection.unary(TestService.echo, TestService.request("\(index)"))
        }
        await #expect(throws: RPCError.self) {
            let _: TestService.Response = try await connection.unary(TestService.fail, TestService.request(""))
        }
        await #expect(throws: RPCError.self) {
            let _: TestService.Response = try await connection.unary(
                MethodDescriptor(service: "random.v1.Name", method: "X\(UUID().uuidString)", access: .anyRole), TestService.request(""))
        }
        let text = registry.emitToString()
        #expect(text.contains(#"pingan_rpc_server_calls_total{method="/test.v1.Test/Echo",code="OK"} 3"#), "\(text)")
        #expect(text.contains(#"pingan_rpc_server_calls_total{method="/test.v1.Test/Fail",code="FAILED_PRECONDITION"} 1"#))
        #expect(text.contains(#"pingan_rpc_server_calls_total{method="unknown",code="UNIMPLEMENTED"} 1"#))
        #expect(text.contains(#"pingan_rpc_server_call_duration_seconds_count{method="/test.v1.Test/Echo"} 3"#))
        #expect(!text.contains("random.v1.Name"), "unknown names never become labels")
        await server.server.close()
    }
}

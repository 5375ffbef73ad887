import NIOCore
import PinganRPC
import PinganWire
import PinganRules
import Testing

@Suite("A refusal by the rules answers with the status its rules' kinds decide")
struct RefusalTests {
    static func rule(_ kind: RuleKind, _ field: String = "unitCode") -> BrokenRule {
        BrokenRule(field: field, rule: "R_\(kind)", kind: kind, message: "broken")
    }

    @Test("each kind has its gRPC code", arguments: [
        (RuleKind.invalid, RPCError.Code.invalidArgument), (.missing, .notFound), (.duplicate, .alreadyExists),
        (.state, .failedPrecondition), (.forbidden, .permissionDenied),
    ])
    func codes(_ kind: RuleKind, _ code: RPCError.Code) {
        #expect(Refusal("team", Self.rule(kind)).rpcError.code == code)
    }

    @Test("of several kinds: forbidden, then missing, then invalid, then duplicate, then state", arguments: [
        ([RuleKind.state, .invalid], RPCError.Code.invalidArgument),
        ([.duplicate, .invalid], .invalidArgument),
        ([.state, .duplicate], .alreadyExists),
        ([.invalid, .missing], .notFound),
        ([.missing, .forbidden, .invalid], .permissionDenied),
    ])
    func precedence(_ kinds: [RuleKind], _ code: RPCError.Code) {
        #expect(Refusal("team", kinds.map { Self.rule($0) }).rpcError.code == code)
    }

    @Test("every rule is a field violation in the proto's names; the message names the first five")
    func details() {
        let rules = (1...7).map { BrokenRule.row($0, "idNumber", rule: "GB11643_CHECK_DIGIT", message: "bad check digit") }
        let error = Refusal("batch", rules).rpcError
        #expect(error.details?.reason == "BATCH_REFUSED")
        #expect(error.details?.fieldViolations.map(\.field) == (1...7).map { "rows[\($0)].id_number" })
        #expect(error.message.hasPrefix("batch refused: rows[1].id_number: bad check digit; rows[2].id_number"))
        #expect(error.message.hasSuffix("rows[5].id_number: bad check digit (and 2 more in the details)"))
    }

    @Test("row rules know their row; rules of the whole request sort first")
    func rowOrder() {
        let rules = [BrokenRule.row(10, "name", rule: "NAME", message: "m"), BrokenRule(field: "unitCode", rule: "UNKNOWN_UNIT", message: "m"),
                     BrokenRule.row(2, "phone", rule: "PHONE", message: "m")]
        #expect(rules.map(\.rowNumber) == [10, nil, 2])
        #expect(rules.sorted(by: BrokenRule.inRowOrder).map(\.field) == ["unitCode", "rows[2].phone", "rows[10].name"])
    }

    @Test("an idempotency key reused for another request is FAILED_PRECONDITION naming the key")
    func idempotencyKeyReused() {
        let error = Refusal.idempotencyKeyReused("k-1").rpcError
        #expect(error.code == .failedPrecondition)
        #expect(error.message == "request refused: metadata.idempotency-key: 'k-1' was already used for a different request")
    }
}

@Suite("A refusal's STATUS fits the frame limit without losing count of what it leaves out")
struct LargeRefusalTests {
    static func refusal(rows: Int) -> RPCError {
        Refusal("batch", (1...rows).map { BrokenRule.row($0, "idNumber", rule: "GB11643_CHECK_DIGIT", message: "check digit is 3 but GB 11643 requires X") })
            .rpcError
    }

    @Test("600 violations go whole into a STATUS under the default limit")
    func wholeUnderTheLimit() {
        let status = CallStatus(Self.refusal(rows: 600))
        #expect(status.rpcError.details?.fieldViolations.count == 600)
        #expect(status.rpcError.details?.omittedViolations == 0)
    }

    @Test("under a small limit the first violations that fit are sent in order, the rest counted and named in the message", arguments: [4096, 16_384])
    func trimmedToTheLimit(_ limit: Int) {
        let status = CallStatus(Self.refusal(rows: 600), limit: limit)
        var buffer = ByteBuffer()
        status.write(into: &buffer)
        #expect(buffer.readableBytes <= limit)
        let error = status.rpcError
        let listed = error.details?.fieldViolations ?? []
        #expect(!listed.isEmpty && listed.count < 600)
        #expect(listed.map(\.field) == (1...listed.count).map { "rows[\($0)].id_number" })
        #expect(error.details?.omittedViolations == 600 - listed.count)
        #expect(error.message.hasSuffix("(\(600 - listed.count) more not listed: a status carries at most \(limit) bytes)"))
        #expect(error.details?.reason == "BATCH_REFUSED")
    }

    @Test("a rule that quotes a megabyte of the caller's input is answered with at most 1,000 characters of it; so are the choice errors")
    func callerTextIsBounded() throws {
        let flood = String(repeating: "x", count: 1_000_000)
        let error = Refusal("post", BrokenRule(field: "place", rule: "PLACE", message: "'\(flood)' is too long")).rpcError
        #expect(error.details?.fieldViolations.first?.description.count == 1_000)
        #expect(error.message.count < 1_200)
        enum Colour: String, CaseIterable { case red, green }
        #expect(try RPCError.choice("red", field: "colour", as: Colour.self) == .red)
        #expect {
            _ = try RPCError.choice(flood, field: "colour", as: Colour.self)
        } throws: { error in
            let error = error as? RPCError
            return error?.code == .invalidArgument && error?.message == "colour: '\(String(repeating: "x", count: 32))' is not one of red, green"
        }
    }
}


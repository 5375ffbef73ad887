import PinganFinanceContracts
import PinganRPC
import PinganRules
import PinganServiceKit
import PinganStore

/// Insignia and equipment: purchases, issues, returns, losses, what is on hand.
extension FinanceService {
    func registerStock(with router: inout Router) {
        router.register(FinanceMethods.purchaseStock) { (request: Pingan_Finance_V1_PurchaseStockRequest, context) in
            let item = try RPCError.choice(request.item, field: "item", as: InsigniaItem.self)
            try Self.checkRoom(request.room)
            try Self.checkCallerID(request.transferID, field: "transfer_id")
            let outcome = try await store.purchase(item, quantity: Int(request.quantity), room: request.room, unitPrice: Money(fen: request.unitPriceFen),
                                                   funder: request.funder, year: Int(request.year), transferID: request.transferID,
                                                   actor: context.actor, requestID: context.requestID)
            return Self.message(outcome, id: request.transferID)
        }
        router.register(FinanceMethods.moveStock) { (request: Pingan_Finance_V1_MoveStockRequest, context) in
            try await moveStock(request, context)
        }
        router.register(FinanceMethods.getStock) { (request: Pingan_Finance_V1_GetStockRequest, _) in
            if !request.room.isEmpty { try Self.checkRoom(request.room) }
            return Self.message(try await store.stock(room: request.room.isEmpty ? nil : request.room))
        }
    }

    func moveStock(_ request: Pingan_Finance_V1_MoveStockRequest, _ context: ServerContext) async throws -> Pingan_Finance_V1_StockList {
        let item = try RPCError.choice(request.item, field: "item", as: InsigniaItem.self)
        try Self.checkRoom(request.room)
        guard request.note.count <= 200 else { throw RPCError(.invalidArgument, "note: at most 200 characters") }
        let holder: Holder? = switch (request.volunteerID, request.teamID) {
        case (let volunteer, 0) where volunteer > 0: .volunteer(volunteer)
        case (0, let team) where team > 0: .team(team)
        case (0, 0): nil
        default: throw RPCError(.invalidArgument, "volunteer_id, team_id: name one holder, with an id above 0")
        }
        let kind: StockMovement
        switch (request.kind, holder) {
        case ("issue", let holder?): kind = .issue(to: holder)
        case ("return", let holder?): kind = .giveBack(from: holder)
        case ("loss", nil): kind = .loss
        case ("issue", nil), ("return", nil): throw RPCError(.invalidArgument, "volunteer_id, team_id: an \(request.kind) names a volunteer or a team")
        case ("loss", _): throw RPCError(.invalidArgument, "volunteer_id, team_id: a loss is written off the room and names no holder")
        default: throw RPCError(.invalidArgument, "kind: '\(request.kind.prefix(32))' is not issue, return or loss")
        }
        try await store.moveStock(item, quantity: Int(request.quantity), room: request.room, kind: kind, note: request.note, actor: context.actor,
                                  requestID: context.requestID, idempotency: try IdempotencyKey(context, request))
        return Self.message(try await store.stock(room: request.room))
    }

    static func checkRoom(_ room: String) throws {
        guard (1...32).contains(room.count), !room.contains(where: \.isNewline) else { throw RPCError(.invalidArgument, "room: must be 1-32 characters on one line") }
    }

    static func message(_ stock: [StockLevel]) -> Pingan_Finance_V1_StockList {
        var list = Pingan_Finance_V1_StockList()
        list.items = stock.map { level in
            var message = Pingan_Finance_V1_StockItem()
            message.room = level.room
            message.item = level.item.rawValue
            message.onHand = Int32(level.onHand)
            return message
        }
        return list
    }
}

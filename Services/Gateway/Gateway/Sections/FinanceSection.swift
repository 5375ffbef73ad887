import ArgumentParser
import PinganCampaign
import PinganCatalog
import PinganFinanceContracts
import PinganRPC

/// Finance's part of the gateway: a volunteer's kit and allowances in `volunteer show`; budget
/// use per line and funder in the dashboard, with the district's totals; `pingan finance ...`.
struct FinanceSection: ServiceSection {
    let service = ServiceName.finance
    var commands: (any ParsableCommand.Type)? { FinanceCommand.self }
    let volunteerSections = [
        SectionTitle("finance.kit", Text("领用装备", "Kit issued")),
        SectionTitle("finance.allowances", Text("补贴", "Allowances")),
    ]
    let dashboardSections = [
        SectionTitle("finance.funders", Text("经费使用（按出资方）", "Budget use by funder")),
        SectionTitle("finance.lines", Text("经费使用（按预算科目）", "Budget use by line")),
    ]
    let figures = [Figure("budget_spent_yuan", Text("经费已用/预算（元）", "Budget spent/granted (yuan)"))]

    func volunteer(_ id: Int64, on day: CalendarDay, client: any ClientTransport, options: CallOptions) async throws -> [Section] {
        var request = Pingan_Finance_V1_GetVolunteerFinanceRequest()
        request.volunteerID = id
        let finance = try await FinanceClient(client).getVolunteerFinance(request, options: options)
        let kit = Table(columns: [.init("item", Text("物品", "Item")), .init("quantity", Text("数量", "Quantity"))],
                        rows: finance.kit.map { [.text($0.item), .int($0.quantity)] })
        return [Section(id: volunteerSections[0].id, title: volunteerSections[0].title, table: kit),
                Section(id: volunteerSections[1].id, title: volunteerSections[1].title, table: Self.lineTable(finance.allowances))]
    }

    func dashboard(client: any ClientTransport, options: CallOptions, query: DashboardQuery) async throws -> DashboardPart {
        var request = Pingan_Finance_V1_GetBudgetReportRequest()
        request.year = Int32(query.on.year)
        let report = try await FinanceClient(client).getBudgetReport(request, options: options)
        let granted = report.funders.reduce(0) { $0 + $1.grantedFen }
        let spent = report.funders.reduce(0) { $0 + $1.spentFen }
        return DashboardPart(
            sections: [Self.budgetSection(dashboardSections[0].id, Text("\(query.on.year) 年经费使用（按出资方）", "Budget use in \(query.on.year) by funder"),
                                          report.funders, byLine: false),
                       Self.budgetSection(dashboardSections[1].id, Text("\(query.on.year) 年经费使用（按预算科目）", "Budget use in \(query.on.year) by line"),
                                          report.lines, byLine: true)],
            figures: ["budget_spent_yuan": (spent / 100, granted / 100)])
    }

    /// Granted, spent, reserved and remaining, per funder or per line, with a total row.
    static func budgetSection(_ id: String, _ title: Text, _ uses: [Pingan_Finance_V1_BudgetLineUse], byLine: Bool) -> Section {
        var rows: [[Value]] = uses.map { use in
            (byLine ? [.text(use.funder), .text(use.category)] : [.text(use.funder)])
                + [.money(fen: use.grantedFen), .money(fen: use.spentFen), .money(fen: use.reservedFen), .money(fen: use.remainingFen),
                   .percent(part: use.spentFen + use.reservedFen, whole: use.grantedFen)]
        }
        let total = uses.reduce(into: (0 as Int64, 0 as Int64, 0 as Int64, 0 as Int64)) {
            $0 = ($0.0 + $1.grantedFen, $0.1 + $1.spentFen, $0.2 + $1.reservedFen, $0.3 + $1.remainingFen)
        }
        rows.append((byLine ? [.text("合计 total"), .none] : [.text("合计 total")])
                    + [.money(fen: total.0), .money(fen: total.1), .money(fen: total.2), .money(fen: total.3), .percent(part: total.1 + total.2, whole: total.0)])
        let columns: [Table.Column] = (byLine ? [.init("funder", Text("出资方", "Funder")), .init("category", Text("科目", "Category"))]
                                              : [.init("funder", Text("出资方", "Funder"))])
            + [.init("granted_fen", Text("预算", "Granted")), .init("spent_fen", Text("已支出", "Spent")), .init("reserved_fen", Text("已预留", "Reserved")),
               .init("remaining_fen", Text("余额", "Remaining")), .init("used", Text("使用率", "Used"))]
        return Section(id: id, title: title, table: Table(columns: columns, rows: rows))
    }

    static func lineTable(_ lines: [Pingan_Finance_V1_AllowanceLine]) -> Table {
        Table(
            columns: [.init("month", Text("月份", "Month")), .init("batch", Text("批次", "Batch")), .init("funder", Text("出资方", "Funder")),
                      .init("volunteer_id", Text("编号", "Volunteer")), .init("unit", Text("单位", "Unit")), .init("standard", Text("标准", "Standard")),
                      .init("rate_fen", Text("单价", "Rate")), .init("quantity", Text("次数", "Quantity")), .init("amount_fen", Text("金额", "Amount")),
                      .init("status", Text("状态", "Status"))],
            rows: lines.map {
                [.text($0.month), .integer($0.batchID), .text($0.funder), .integer($0.volunteerID), .text($0.unitCode), .text($0.rate.kind),
                 .money(fen: $0.rate.amountFen), .int($0.quantity), .money(fen: $0.amountFen), .text($0.status)]
            })
    }

    static func batchSection(_ batches: [Pingan_Finance_V1_Batch], title: Text = Text("补贴批次", "Allowance batches")) -> Section {
        Section(id: "finance.batches", title: title, table: Table(
            columns: [.init("batch", Text("批次", "Batch")), .init("month", Text("月份", "Month")), .init("funder", Text("出资方", "Funder")),
                      .init("status", Text("状态", "Status")), .init("total_fen", Text("金额", "Total")), .init("volunteers", Text("人数", "Volunteers")),
                      .init("computed_by", Text("计算人", "Computed by")), .init("approved_by", Text("审批人", "Approved by")),
                      .init("posted_by", Text("支付人", "Posted by")), .init("reason", Text("退回原因", "Rejected because"))],
            rows: batches.map {
                [.integer($0.id), .text($0.month), .text($0.funder), .text($0.status), .money(fen: $0.totalFen), .int($0.volunteers),
                 .text($0.computedBy), $0.approvedBy.isEmpty ? .none : .text($0.approvedBy), $0.postedBy.isEmpty ? .none : .text($0.postedBy),
                 $0.reason.isEmpty ? .none : .text($0.reason)]
            }))
    }

    static func outcomeSection(_ outcomes: [Pingan_Finance_V1_TransferOutcome]) -> Section {
        Section(id: "finance.transfers", title: Text("转账结果", "Transfers"), table: Table(
            columns: [.init("id", Text("编号", "Id")), .init("result", Text("结果", "Result")), .init("rule", Text("规则", "Rule")),
                      .init("message", Text("说明", "Message"))],
            rows: outcomes.map { [.integer($0.id), .text($0.result), $0.rule.isEmpty ? .none : .text($0.rule), $0.message.isEmpty ? .none : .text($0.message)] }))
    }

    static func stockSection(_ list: Pingan_Finance_V1_StockList) -> Section {
        Section(id: "finance.stock", title: Text("库存", "Stock on hand"), table: Table(
            columns: [.init("room", Text("库房", "Room")), .init("item", Text("物品", "Item")), .init("on_hand", Text("库存", "On hand"))],
            rows: list.items.map { [.text($0.room), .text($0.item), .int($0.onHand)] }))
    }

    /// Yuan as typed ("1200", "1200.5", "1200.50") to fen.
    static func fen(_ text: String, option: String) throws -> Int64 {
        guard let money = Money(yuan: text), money.fen > 0 else {
            throw GatewayExit.usage("\(option): '\(text.prefix(32))' is not an amount in yuan above zero (e.g. 1200 or 1200.50)")
        }
        return money.fen
    }
}

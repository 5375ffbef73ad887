import PinganRules
/// A department's bulk registration of its people for one directed category (categories 1-8):
/// all rows are accepted together or none is.
public struct DirectedBatch: Sendable, Hashable {
    /// The sender's id for the batch: resubmitting it returns the first result.
    public var batchID: String
    public var unitCode: String
    public var category: Int
    public var rows: [Row]

    public struct Row: Sendable, Hashable {
        /// 1-based, as in the sender's spreadsheet.
        public var number: Int
        public var name: String
        public var idNumber: String
        public var phone: String?
        /// Required where the category has sub-categories (category 3: "3.01" ... "3.12").
        public var subcategory: String?

        public init(number: Int, name: String, idNumber: String, phone: String? = nil, subcategory: String? = nil) {
            self.number = number
            self.name = name
            self.idNumber = idNumber
            self.phone = phone
            self.subcategory = subcategory
        }
    }

    public init(batchID: String, unitCode: String, category: Int, rows: [Row]) {
        self.batchID = batchID
        self.unitCode = unitCode
        self.category = category
        self.rows = rows
    }
}

/// One reason a batch was refused: the row (0 for the batch as a whole), the field and the rule.
public struct RowError: Error, Sendable, Hashable, CustomStringConvertible {
    public var row: Int
    public var field: String
    public var rule: String
    public var message: String

    public init(row: Int, field: String, rule: String, message: String) {
        self.row = row
        self.field = field
        self.rule = rule
        self.message = message
    }

    /// `rows[17].idNumber: check digit is 3 but GB 11643 requires X`.
    public var description: String {
        row == 0 ? "\(field): \(message)" : "rows[\(row)].\(field): \(message)"
    }
}

/// A row that passed validation, with its ID number parsed.
public struct ValidatedRow: Sendable, Hashable {
    public var row: DirectedBatch.Row
    public var residentID: ResidentID
}

extension DirectedBatch {
    /// Every problem with the batch that can be seen without the database: the category, each
    /// row's fields, and the same person twice in the batch. Empty errors mean every row is valid.
    public func validate(against plan: RecruitmentPlan, maximumRows: Int = 100_000) -> (rows: [ValidatedRow], errors: [BrokenRule]) {
        var errors: [BrokenRule] = []
        if batchID.isEmpty || batchID.count > 128 {
            errors.append(BrokenRule(field: "batchId", rule: "BATCH_ID", message: "must be 1-128 characters"))
        }
        guard let category = plan.categories.first(where: { $0.number == self.category }) else {
            return ([], errors + [BrokenRule(field: "category", rule: "UNKNOWN_CATEGORY", message: "category \(self.category) is not in the campaign's plan")])
        }
        guard category.mode == .directed else {
            return ([], errors + [BrokenRule(field: "category", rule: "NOT_DIRECTED",
                message: "category \(category.number) recruits by public application, not directed registration")])
        }
        guard !rows.isEmpty, rows.count <= maximumRows else {
            return ([], errors + [BrokenRule(field: "rows", rule: "ROW_COUNT", message: "a batch holds 1 to \(maximumRows) rows, got \(rows.count)")])
        }

        var validated: [ValidatedRow] = []
        var firstRowByID: [String: Int] = [:]
        let subcategoryCodes = Set(category.subcategories.map(\.code))
        for row in rows {
            var rowErrors: [BrokenRule] = []
            let name = row.name.trimmed
            // At most 64 bytes is at most 64 characters: count them only past that.
            if name.isEmpty || (name.utf8.count > 64 && name.count > 64) {
                rowErrors.append(BrokenRule.row(row.number, "name", rule: "NAME", message: "must be 1-64 characters"))
            }
            var parsed: ResidentID?
            do {
                parsed = try ResidentID(row.idNumber.trimmed)
            } catch {
                rowErrors.append(BrokenRule.row(row.number, "idNumber", rule: error.rule, message: error.description))
            }
            if let phone = row.phone?.trimmed, !phone.isEmpty, !Self.isMobileNumber(phone) {
                rowErrors.append(BrokenRule.row(row.number, "phone", rule: "PHONE", message: "must be an 11-digit mobile number starting with 1"))
            }
            switch (subcategoryCodes.isEmpty, row.subcategory) {
            case (false, nil):
                rowErrors.append(BrokenRule.row(row.number, "subcategory", rule: "SUBCATEGORY_REQUIRED",
                                          message: "category \(category.number) needs one of \(subcategoryCodes.sorted().joined(separator: ", "))"))
            case (false, let code?) where !subcategoryCodes.contains(code):
                rowErrors.append(BrokenRule.row(row.number, "subcategory", rule: "UNKNOWN_SUBCATEGORY",
                                          message: "'\(code)' is not a sub-category of category \(category.number)"))
            case (true, let code?):
                rowErrors.append(BrokenRule.row(row.number, "subcategory", rule: "UNKNOWN_SUBCATEGORY",
                                          message: "category \(category.number) has no sub-categories, got '\(code)'"))
            default:
                break
            }
            if let parsed {
                if let first = firstRowByID[parsed.value] {
                    rowErrors.append(BrokenRule.row(row.number, "idNumber", rule: "DUPLICATE_IN_BATCH",
                                              message: "the same person as row \(first)"))
                } else {
                    firstRowByID[parsed.value] = row.number
                }
            }
            if rowErrors.isEmpty, let parsed {
                validated.append(ValidatedRow(row: row, residentID: parsed))
            }
            errors += rowErrors
        }
        return (validated, errors)
    }

    static func isMobileNumber(_ text: String) -> Bool {
        text.utf8.count == 11 && text.utf8.first == UInt8(ascii: "1") && text.utf8.allSatisfy { (48...57).contains($0) }
    }
}


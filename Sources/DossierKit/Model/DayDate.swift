/// A calendar date, `YYYY-MM-DD`, with no time of day or zone: briefings speak in days, and
/// keeping clocks out of the model keeps the output reproducible.
public struct DayDate: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              (1...DayDate.daysIn(month: month, year: year)).contains(day) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD` and rejects dates the calendar does not have.
    public init?(_ text: String) {
        self.init(bytes: Array(text.utf8)[...])
    }

    /// `YYYY-MM-DD` as bytes (the change log's state holds 12,000 of them).
    init?(bytes: ArraySlice<UInt8>) {
        let start = bytes.startIndex
        guard bytes.count == 10, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[start + range.lowerBound..<start + range.upperBound] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        self.init(year: year, month: month, day: day)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// The date a feed gives when the briefing names none at all, fixed so output never depends
    /// on the clock.
    public static let fallback = DayDate(year: 2000, month: 1, day: 1)!

    /// `2021-03-22`
    public var description: String {
        let year = String(self.year)
        return String(repeating: "0", count: max(0, 4 - year.count)) + year + "-" + Self.twoDigits(month) + "-" + Self.twoDigits(day)
    }

    /// `2021-03-22T00:00:00Z`, for Atom and sitemaps.
    public var timestamp: String { description + "T00:00:00Z" }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July",
                             "August", "September", "October", "November", "December"]

    /// `22 March 2021`: unambiguous for readers everywhere, and free of locale settings.
    public var label: String { "\(day) \(Self.monthNames[month - 1]) \(year)" }


    public static func < (lhs: DayDate, rhs: DayDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

@testable import DossierKit
import XCTest

final class DayDateTests: XCTestCase {
    func testParsesAndPrintsISODates() throws {
        let date = try XCTUnwrap(DayDate("2021-03-22"))
        XCTAssertEqual(date.description, "2021-03-22")
        XCTAssertEqual(date.label, "22 March 2021")
        XCTAssertEqual(date.timestamp, "2021-03-22T00:00:00Z")
    }

    func testRejectsDatesTheCalendarDoesNotHave() {
        for text in ["2021-02-29", "2021-13-01", "2021-00-10", "2021-04-31", "21-03-22", "2021-3-22", "2021/03/22", "2021-03-22T10:00", ""] {
            XCTAssertNil(DayDate(text), text)
        }
        XCTAssertNotNil(DayDate("2024-02-29"))
    }

    func testOrdersChronologically() throws {
        XCTAssertLessThan(try XCTUnwrap(DayDate("2020-12-07")), try XCTUnwrap(DayDate("2021-03-02")))
    }
}

import KotaeCommerce
import Testing

struct PhoneNumberTests {
    @Test func japaneseNumbersInEveryWritingAreOne() {
        for written in ["090-1234-5678", "09012345678", "０９０－１２３４－５６７８", "+81 90-1234-5678", "+819012345678", "0081 90 1234 5678"] {
            #expect(PhoneNumber.e164(written) == "+819012345678", "\(written)")
        }
        #expect(PhoneNumber.e164("(03) 1234-5678") == "+81312345678")
    }

    @Test func aNationalNumberIsReadInTheShopsCountry() {
        #expect(PhoneNumber.e164("020 7946 0958", countryCode: "44") == "+442079460958")
    }

    @Test func whatIsNoPhoneNumberIsNil() {
        for text in ["", "1234", "090-12", "order 1042", "+0 123 456 789", "12345678901", "+1234567890123456"] {
            #expect(PhoneNumber.e164(text) == nil, "\(text)")
        }
    }
}

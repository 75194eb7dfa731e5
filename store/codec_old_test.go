package store

import (
	"encoding/hex"
	"reflect"
	"testing"
	"time"

	"ceedesk/cases"
)

// oldLayoutCases are the cases whose records oldLayoutRecords holds, as they were before the record carried
// liquidation extensions and suspension, the further-review and Headquarters dates, consolidation, the mailing of a
// denial, a disclosure's waiver, extension, calculation and culpability, the first assignment, the answers to
// requests, notices of action and the acknowledgement of a late decision.
func oldLayoutCases() []*cases.Case {
	d := cases.NewDate
	at := func(y int, m time.Month, day, h, min int) time.Time {
		return time.Date(y, m, day, h, min, 7, 0, time.UTC)
	}
	return []*cases.Case{
		{
			ID: "2704-26-100002", Kind: cases.KindProtest, Center: "ELEC",
			Importer: cases.Importer{Number: "18-569228200", Name: "Evergreen Semiconductor LLC", Programs: []cases.Program{cases.ProgramCTPAT, cases.ProgramISA}},
			Entry: cases.EntrySummary{Number: "E21-2115062-8", Type: "01", Port: "2704", EntryDate: d(2025, 2, 12),
				Liquidates: d(2025, 12, 23), Extended: d(2026, 12, 23), Liquidated: d(2025, 12, 23),
				Lines: []cases.Line{
					{Number: 1, HTS: "8528520000", Description: "Monitors capable of connecting to an ADP machine", Origin: "MY", Value: 116143200},
					{Number: 2, HTS: "8536690000", Description: "Plugs and sockets for a voltage not exceeding 1,000 V", Origin: "KR", Value: 34983700, RateBP: 270, Duty: 944559},
				}},
			Received: d(2026, 4, 11), Assignee: "alice", Assigned: d(2026, 4, 16), Status: cases.StatusDecided,
			Protest: &cases.Protest{Number: "2704-26-100002", Filed: d(2026, 4, 11), Protested: d(2025, 12, 23),
				Grounds: []cases.Ground{cases.GroundClassification, cases.GroundCharges}, Claimed: 944559,
				AccelMailed: d(2026, 8, 3), FurtherReview: true, AFRFiled: d(2026, 4, 11), OriginalDeciders: []string{"bob"}},
			Notes: []cases.Note{{Author: "alice", At: at(2026, 4, 20, 10, 5), Text: "Called the broker; documents promised by end of week."},
				{Author: "sofia", At: time.Date(2026, 4, 21, 9, 0, 0, 5, time.FixedZone("", -5*3600)), Text: "Check the ruling cited."}},
			Requests: []cases.InfoRequest{{By: "alice", At: at(2026, 4, 22, 11, 0), Due: d(2026, 5, 22), Question: "send the invoice"}},
			Decision: &cases.Decision{Outcome: cases.OutcomeDeniedInPart, Reasons: "Line 1 is properly classified.", Amount: 500000,
				Lines: []int{2}, By: "carol", On: d(2026, 9, 1), At: at(2026, 9, 1, 14, 30), Approval: true, Approver: "sofia",
				Approved: at(2026, 9, 2, 8, 45), Returned: "State the heading."},
			Version: 7, UpdatedBy: "sofia", UpdatedAt: at(2026, 9, 2, 8, 45),
		},
		{
			ID: "PSC-26-000011", Kind: cases.KindPSC, Center: "ELEC",
			Importer: cases.Importer{Number: "18-569228200", Name: "Evergreen Semiconductor LLC"},
			Entry: cases.EntrySummary{Number: "B76-0324527-8", Type: "01", Port: "2709", EntryDate: d(2026, 3, 2), Liquidates: d(2027, 1, 10),
				Lines: []cases.Line{{Number: 1, HTS: "8544429090", Description: "Insulated electric conductors", Origin: "CN", Value: 1000000, RateBP: 260, Duty: 26000}}},
			Received: d(2026, 6, 1), Status: cases.StatusNew,
			PSC:     &cases.PSC{Filed: d(2026, 6, 1), Version: 2, ReasonCodes: []string{"001", "014"}, DutyDiff: -13000, Explanation: "Corrects the classification."},
			Version: 1, UpdatedBy: "operator", UpdatedAt: at(2026, 6, 1, 9, 0),
		},
		{
			ID: "PD-26-000003", Kind: cases.KindDisclosure, Center: "PHARMA",
			Importer: cases.Importer{Number: "23-1234567AB", Name: "Atlas Biologics LLC", Programs: []cases.Program{cases.ProgramISA}},
			Entry: cases.EntrySummary{Number: "ABC-1234567-6", Type: "03", Port: "4701", EntryDate: d(2025, 10, 1), Liquidates: d(2026, 8, 11),
				Lines: []cases.Line{{Number: 1, HTS: "2933396175", Description: "Compounds containing an unfused pyridine ring", Origin: "IN", Value: 5000000, RateBP: 650, Duty: 325000}}},
			Received: d(2026, 9, 3), Assignee: "erin", Assigned: d(2026, 9, 4), Status: cases.StatusAwaitingInfo,
			Disclosure: &cases.Disclosure{Disclosed: d(2026, 9, 3), Oral: true, Confirmed: d(2026, 9, 10), Perfected: d(2026, 9, 30),
				LostRevenue: 325000, Tender: 300000},
			Requests: []cases.InfoRequest{{By: "erin", At: at(2026, 9, 5, 9, 15), Due: d(2026, 10, 5), Question: "the worksheet of the loss"}},
			Version:  3, UpdatedBy: "erin", UpdatedAt: at(2026, 9, 5, 9, 15),
		},
		{
			ID: "VAL-26-000001", Kind: cases.KindValidation, Center: "ELEC",
			Importer: cases.Importer{Number: "18-569228200", Name: "Evergreen Semiconductor LLC", Programs: []cases.Program{cases.ProgramCTPAT}},
			Entry:    cases.EntrySummary{Number: "999-9999999-0", Type: "01", Port: "2720", EntryDate: d(2026, 1, 5), Liquidates: d(2026, 11, 15)},
			Received: d(2026, 2, 1), Assignee: "bob", Assigned: d(2026, 2, 2), Status: cases.StatusInReview,
			Validation: &cases.Validation{Program: cases.ProgramCTPAT, Scope: "C-TPAT validation of supply chain security criteria", Due: d(2026, 5, 1)},
			Version:    2, UpdatedBy: "bob", UpdatedAt: at(2026, 2, 3, 10, 0),
		},
	}
}

// oldLayoutRecords are the records (format caseChecked, layout 1, with their checksums) that the encoder of
// ceedesk before layout 2 wrote for oldLayoutCases, in hex. They are never regenerated: they are what stores hold.
var oldLayoutRecords = []string{
	// 2704-26-100002
	"430e323730342d32362d3130303030320770726f7465737404454c45430c31382d3536393232383230301b45766572677265656e2053656d69636f6e647563746f72204c4c43010206432d54504154034953410d4532312d323131353036322d380230310432373034c6ba02babf0294c502babf020102020a38353238353230303030304d6f6e69746f72732063617061626c65206f6620636f6e6e656374696e6720746f20616e20414450206d616368696e65024d59c0d1e16e0000040a3835333636393030303035506c75677320616e6420736f636b65747320666f72206120766f6c74616765206e6f7420657863656564696e6720312c3030302056024b52a8bcae219c04dea67394c10205616c6963659ec1020764656369646564010e323730342d32362d31303030303294c102babf0201020e636c617373696669636174696f6e0763686172676573dea673f8c2020194c102010103626f6200000000010205616c69636501a6e9af9e0d003543616c6c6564207468652062726f6b65723b20646f63756d656e74732070726f6d6973656420627920656e64206f66207765656b2e05736f666961020f010000000ee17979e000000005fed417436865636b207468652072756c696e672063697465642e010105616c69636501eea8c59e0d00e6c1021073656e642074686520696e766f696365010e64656e6965645f696e5f706172741e4c696e6520312069732070726f7065726c7920636c61737369666965642ec0843d010104056361726f6cb2c30201de85b7a90d000105736f66696101a688bfa90d00125374617465207468652068656164696e672e0705736f66696101a688bfa90d005fe8e9b1",
	// PSC-26-000011
	"430d5053432d32362d3030303031310370736304454c45430c31382d3536393232383230301b45766572677265656e2053656d69636f6e647563746f72204c4c43000d4237362d303332343532372d380230310432373039c4c002b8c50200000101020a383534343432393039301d496e73756c6174656420656c65637472696320636f6e647563746f727302434e80897a8804a09603fac1020000036e65770001fac10204010203303031033031348fcb011c436f7272656374732074686520636c617373696669636174696f6e2e000000000000000001086f70657261746f7201aea8eaa10d00ec23d07d",
	// PD-26-000003
	"430c50442d32362d3030303030330a646973636c6f7375726506504841524d410c32332d3132333435363741421341746c61732042696f6c6f67696373204c4c430101034953410d4142432d313233343536372d36023033043437303194be0288c30200000101020a323933333339363137352d436f6d706f756e647320636f6e7461696e696e6720616e20756e6675736564207079726964696e652072696e6702494e80ade204940a90d627b6c302046572696eb8c3020d6177616974696e675f696e666f00000001b6c30201c4c302ecc30290d627c0cf240000000101046572696e01b6f6dea90d00f6c3021974686520776f726b7368656574206f6620746865206c6f73730003046572696e01b6f6dea90d00c7588786",
	// VAL-26-000001
	"430d56414c2d32362d3030303030310a76616c69646174696f6e04454c45430c31382d3536393232383230301b45766572677265656e2053656d69636f6e647563746f72204c4c43010106432d545041540d3939392d393939393939392d300230310432373230d4bf02c8c402000000008ac00203626f628cc00206726576696577000000000106432d5450415433432d545041542076616c69646174696f6e206f6620737570706c7920636861696e207365637572697479206372697465726961bcc10200000000000203626f6201ce9c8e980d00db2f8b3b",
}

func oldRecord(t *testing.T, h string) []byte {
	t.Helper()
	b, err := hex.DecodeString(h)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A store written before layout 2 keeps reading: each old record decodes to its case with the newer facts zero,
// and the case written again is a layout-2 record that reads back the same.
func TestOldLayoutRecordsStillRead(t *testing.T) {
	want := oldLayoutCases()
	for i, h := range oldLayoutRecords {
		b := oldRecord(t, h)
		if b[0] != caseChecked {
			t.Fatalf("fixture %d has format %c", i, b[0])
		}
		got, err := decodeCase(b)
		if err != nil {
			t.Fatalf("old record of %s: %v", want[i].ID, err)
		}
		if !reflect.DeepEqual(got, want[i]) {
			t.Fatalf("old record of %s:\n got %+v\nwant %+v", want[i].ID, got, want[i])
		}
		again, err := decodeCase(mustEncode(t, got))
		if err != nil || !reflect.DeepEqual(again, want[i]) {
			t.Fatalf("%s rewritten in layout 2: %+v, %v", want[i].ID, again, err)
		}
		// a damaged old record is still found
		b[len(b)/2] ^= 0x10
		if _, err := decodeCase(b); err == nil {
			t.Fatalf("a damaged old record of %s decoded", want[i].ID)
		}
	}
}

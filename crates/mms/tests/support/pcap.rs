//! A minimal pcap writer (libpcap format, Ethernet link type): enough for tshark to dissect HTTP over TCP,
//! WSP over UDP and SMPP over TCP.

pub struct Pcap {
    bytes: Vec<u8>,
    frames: u32,
    tcp_seq: std::collections::HashMap<u16, u32>,
}

impl Pcap {
    pub fn new() -> Self {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&0xA1B2_C3D4u32.to_le_bytes());
        bytes.extend_from_slice(&2u16.to_le_bytes());
        bytes.extend_from_slice(&4u16.to_le_bytes());
        bytes.extend_from_slice(&0i32.to_le_bytes());
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&262_144u32.to_le_bytes());
        bytes.extend_from_slice(&1u32.to_le_bytes()); // LINKTYPE_ETHERNET
        Pcap {
            bytes,
            frames: 0,
            tcp_seq: Default::default(),
        }
    }

    /// Frame number (1-based) that the next packet will get.
    pub fn next_frame(&self) -> u32 {
        self.frames + 1
    }

    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    fn frame(&mut self, protocol: u8, l4: &[u8]) {
        let mut ip = vec![0x45, 0];
        ip.extend_from_slice(&u16::try_from(20 + l4.len()).unwrap().to_be_bytes());
        ip.extend_from_slice(&[0, 1, 0x40, 0, 64, protocol, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
        let mut frame = vec![0, 1, 2, 3, 4, 5, 0, 1, 2, 3, 4, 6, 0x08, 0x00];
        frame.extend_from_slice(&ip);
        frame.extend_from_slice(l4);
        self.frames += 1;
        for word in [self.frames, 0, frame.len() as u32, frame.len() as u32] {
            self.bytes.extend_from_slice(&word.to_le_bytes());
        }
        self.bytes.extend_from_slice(&frame);
    }

    /// One TCP segment (PSH|ACK) from `sport` to `dport`; sequence numbers continue per source port.
    pub fn tcp(&mut self, sport: u16, dport: u16, payload: &[u8]) {
        let seq = *self.tcp_seq.entry(sport).or_insert(1);
        self.tcp_seq
            .insert(sport, seq.wrapping_add(payload.len() as u32));
        let mut l4 = Vec::with_capacity(20 + payload.len());
        l4.extend_from_slice(&sport.to_be_bytes());
        l4.extend_from_slice(&dport.to_be_bytes());
        l4.extend_from_slice(&seq.to_be_bytes());
        l4.extend_from_slice(&1u32.to_be_bytes());
        l4.extend_from_slice(&[0x50, 0x18, 0xFF, 0xFF, 0, 0, 0, 0]);
        l4.extend_from_slice(payload);
        self.frame(6, &l4);
    }

    pub fn udp(&mut self, sport: u16, dport: u16, payload: &[u8]) {
        let mut l4 = Vec::with_capacity(8 + payload.len());
        l4.extend_from_slice(&sport.to_be_bytes());
        l4.extend_from_slice(&dport.to_be_bytes());
        l4.extend_from_slice(&u16::try_from(8 + payload.len()).unwrap().to_be_bytes());
        l4.extend_from_slice(&[0, 0]);
        l4.extend_from_slice(payload);
        self.frame(17, &l4);
    }

    /// An HTTP POST of an MMS PDU (how MM1 carries it), in TCP segments of at most 1460 octets. Returns the
    /// frame of the last segment, where tshark shows the reassembled request.
    pub fn http_post_mms(&mut self, sport: u16, pdu: &[u8]) -> u32 {
        let mut http = format!(
            "POST /mms HTTP/1.1\r\nHost: mmsc.example.com\r\nContent-Type: application/vnd.wap.mms-message\r\nContent-Length: {}\r\n\r\n",
            pdu.len()
        )
        .into_bytes();
        http.extend_from_slice(pdu);
        for chunk in http.chunks(1460) {
            self.tcp(sport, 80, chunk);
        }
        self.frames
    }

    /// An SMPP submit_sm carrying 8-bit user data with a UDH (esm_class 0x40, data_coding 0x04).
    pub fn smpp_submit_sm(&mut self, sport: u16, sequence: u32, user_data: &[u8]) {
        let mut body = vec![0u8]; // service_type ""
        body.extend_from_slice(&[1, 1]);
        body.extend_from_slice(b"12345\0");
        body.extend_from_slice(&[1, 1]);
        body.extend_from_slice(b"15551234567\0");
        body.extend_from_slice(&[0x40, 0, 0, 0, 0, 0, 0, 0x04, 0]);
        body.push(u8::try_from(user_data.len()).unwrap());
        body.extend_from_slice(user_data);
        let mut pdu = Vec::with_capacity(16 + body.len());
        pdu.extend_from_slice(&(16 + body.len() as u32).to_be_bytes());
        pdu.extend_from_slice(&4u32.to_be_bytes());
        pdu.extend_from_slice(&0u32.to_be_bytes());
        pdu.extend_from_slice(&sequence.to_be_bytes());
        pdu.extend_from_slice(&body);
        self.tcp(sport, 2775, &pdu);
    }
}

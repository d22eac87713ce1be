"""Everyday documents with the casual questions people ask about them and their answers.

Written by hand (two helper sessions, one passage at a time, without seeing the held-out sets under bench/data/) for
the request model's training data: pasted passages, passages kept for later, and the user's own knowledge-base
documents, which are notices, emails and timetables rather than encyclopedia articles. The QA reader may train on
them too. Every answer is an exact substring of its passage. Genres: emails, workplace notices and policies,
invitations, product manuals, shop and venue information, club notices, local news, travel bookings, messages from
family and friends, building notices, medical instructions, school and course information, recipes, timetables,
encyclopedia-style paragraphs, contracts, volunteer notices and release notes. Names are invented unless well known.
Yes/no questions ("is breakfast included", "can i bring my dog") were added by hand on 2026-12-03, 107 over 99
documents, each answered by the span that settles it ("breakfast included", "no lift unfortunately"), because there
were none before while users ask many of them about their documents.
"""

EVERYDAY_DOCUMENTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    # --- Emails from colleagues and landlords -------------------------------------------------------------------
    (
        "Hi Tomasz,\n"
        "Just a quick note that the boiler service is booked for Thursday 14 March between 9 am and 12 noon. "
        "The engineer, Gary Pilling from Northway Heating, will need access to the kitchen cupboard and the loft "
        "hatch. If you can't be home, leave the spare key with Mrs Adeyemi at flat 2 and I'll collect it afterwards. "
        "Rent for April stays at 875 pounds, but please pay it by the 1st this time, not the 5th.\n"
        "Thanks,\n"
        "Deborah",
        (
            ("when is the boiler being serviced", "Thursday 14 March"),
            ("who's the engineer?", "Gary Pilling"),
            ("where do i leave the key if im out", "with Mrs Adeyemi at flat 2"),
            ("april rent", "875 pounds"),
            ("What company does the engineer work for?", "Northway Heating"),
            ("is the rent going up in april", "Rent for April stays at 875 pounds"),
        ),
    ),
    (
        "Hey team,\n"
        "I'm off from Monday 3 June until Friday 14 June (back on the 17th). While I'm away, Priya Raman will cover "
        "the supplier invoices and Luca will handle anything to do with the Halden account. The Q2 report draft is "
        "on the shared drive under Finance > 2024 > Q2; please add your figures by 31 May at the latest. For anything "
        "truly urgent you can text me on 07700 912 448, but I'd rather you didn't!\n"
        "Cheers,\n"
        "Martin",
        (
            ("When does Martin get back to work?", "the 17th"),
            ("whos covering invoices while hes away", "Priya Raman"),
            ("halden account contact", "Luca"),
            ("deadline for our figures", "31 May"),
            ("martins mobile", "07700 912 448"),
            ("am i allowed to text him while hes away", "For anything truly urgent you can text me"),
        ),
    ),
    (
        "Hi all,\n"
        "Reminder that the first-aid refresher is this Wednesday from 2:00 to 4:30 pm in meeting room B on the third "
        "floor. It's run by Ingrid Solberg from the Red Cross and is mandatory for everyone on the floor-warden list. "
        "Wear comfortable clothes, as there's a practical part on the floor with dummies. Coffee and biscuits will be "
        "provided. If you can't make it, reply to me before Tuesday noon so I can book you on the October session "
        "instead.\n"
        "Best,\n"
        "Fiona (HR)",
        (
            ("What time does the first aid training finish?", "4:30 pm"),
            ("where is the training", "meeting room B on the third floor"),
            ("who's running it", "Ingrid Solberg"),
            ("what should i wear", "comfortable clothes"),
            ("cant make it, when do i have to tell fiona", "before Tuesday noon"),
            ("is the first aid thing compulsory", "mandatory for everyone on the floor-warden list"),
        ),
    ),
    (
        "Dear Ms Okafor,\n"
        "Thank you for your notice. I confirm your tenancy at 17 Linden Court ends on 30 September. I'd like to do "
        "the check-out inspection on that day at 10 am; please have the flat cleaned and all three keys ready (two "
        "front-door keys and one for the bike store). Your deposit of 1,450 euros will be returned within 14 days of "
        "the inspection, minus any agreed deductions. Meter readings should be sent to Stadtwerke Kessel yourself.\n"
        "Kind regards,\n"
        "Herbert Vogl",
        (
            ("what day does my lease end", "30 September"),
            ("inspection time?", "10 am"),
            ("How big is the deposit?", "1,450 euros"),
            ("how long till i get my deposit back", "within 14 days of the inspection"),
            ("who gets the meter readings", "Stadtwerke Kessel"),
            ("Does the flat need to be cleaned before the inspection?", "please have the flat cleaned"),
        ),
    ),
    (
        "Hi everyone,\n"
        "We're moving to the new office at Kanalstraße 42 over the weekend of 12-13 October. Please pack your desk "
        "into the blue crates (max 3 per person) by Friday at 3 pm and label each one with your name and new desk "
        "number. Monitors and docking stations stay behind; IT will set up new ones. The movers from Brandt Logistik "
        "arrive Saturday at 7 am. On Monday 14 October the new building opens at 8 am, and your access badge will "
        "work from then.\n"
        "Thanks, Jonas",
        (
            ("new office address", "Kanalstraße 42"),
            ("how many crates am i allowed", "max 3 per person"),
            ("When do the crates need to be packed?", "by Friday at 3 pm"),
            ("which moving firm is it", "Brandt Logistik"),
            ("what time does the new place open on monday", "8 am"),
            ("should i pack my monitor too", "Monitors and docking stations stay behind"),
        ),
    ),
    (
        "Hi Ana,\n"
        "Welcome aboard! A few things for your first day on Monday: come to reception at 9:15 and ask for me (Kenji "
        "Watanabe). Your laptop is already set up; the temporary password is Maple-2291 and you'll be asked to change "
        "it on first login. The guest wifi is OfficeGuest and its password is sunflower88. Lunch on the first day is "
        "on us, we usually go to the Thai place across the road. Bring your ID and bank details for the payroll "
        "form.\n"
        "See you soon,\n"
        "Kenji",
        (
            ("what time should I get there on monday", "9:15"),
            ("laptop temp password", "Maple-2291"),
            ("wifi pw", "sunflower88"),
            ("who do i ask for at reception", "Kenji Watanabe"),
            ("What do I need to bring for payroll?", "your ID and bank details"),
            ("is lunch paid for on day one", "Lunch on the first day is on us"),
        ),
    ),
    (
        "Hello all residents,\n"
        "From 1 February the bin collection day changes from Tuesday to Friday. General waste (grey bin) goes out "
        "every week, recycling (green bin) every second week, starting Friday 7 February. Please put bins out after "
        "7 pm the evening before, not earlier. Bulky items like mattresses can be booked for collection through the "
        "council on 0161 555 0192 for a fee of 25 pounds per item. Also, the hallway light on floor 3 is fixed.\n"
        "Regards,\n"
        "Samir Haddad, building manager",
        (
            ("new bin day?", "Friday"),
            ("how often do they take recycling", "every second week"),
            ("When can I put the bins out?", "after 7 pm the evening before"),
            ("old mattress pickup cost", "25 pounds per item"),
            ("number for bulky collection", "0161 555 0192"),
            ("can i put the bins out thursday afternoon", "after 7 pm the evening before, not earlier"),
        ),
    ),
    # --- Workplace notices and policies -------------------------------------------------------------------------
    (
        "Annual Leave Policy 2025\n"
        "Full-time staff are entitled to 27 days of annual leave plus public holidays. Part-time staff receive a "
        "pro-rata amount. Requests must be submitted through the StaffHub portal at least 4 weeks in advance for any "
        "leave longer than five days. Up to 5 unused days may be carried over to the next year, but they must be "
        "taken by 31 March. The office is closed between 24 December and 1 January; these days are not deducted from "
        "your allowance. Questions go to Helen Marsh in HR.",
        (
            ("how many holiday days do full timers get", "27 days"),
            ("Where do I request time off?", "the StaffHub portal"),
            ("how far ahead for a 2 week holiday", "at least 4 weeks in advance"),
            ("max days carried over", "5 unused days"),
            ("hr person for leave questions", "Helen Marsh"),
            ("do the christmas closure days come out of my leave", "these days are not deducted from your allowance"),
        ),
    ),
    (
        "IT Notice: Password and Laptop Updates\n"
        "All staff passwords will expire on Monday 9 September. You will be prompted to create a new one, which must "
        "be at least 14 characters long and cannot reuse any of your last 5 passwords. The laptop update (version "
        "23H2) will install automatically overnight on Wednesday; please leave your laptop plugged in and switched on "
        "when you go home. If something breaks, call the helpdesk on extension 4400 or email help@norland-it.com. The "
        "helpdesk is staffed from 7:30 am to 6 pm.",
        (
            ("when do our passwords expire", "Monday 9 September"),
            ("min password length", "14 characters"),
            ("helpdesk phone?", "extension 4400"),
            ("What are the helpdesk hours?", "7:30 am to 6 pm"),
            ("which night does the update run", "Wednesday"),
            (
                "should I switch my laptop off when I go home wednesday?",
                "please leave your laptop plugged in and switched on",
            ),
        ),
    ),
    (
        "## Parking\n"
        "The staff car park behind Building C has 60 spaces and is first come, first served. You need a valid permit "
        "displayed on the dashboard; permits cost 18 euros per month and are deducted from your salary. Spaces marked "
        "with a green E are reserved for electric vehicles while charging (maximum 4 hours). Visitors should park in "
        "the front lot and sign in at reception. The barrier closes at 9 pm; cars left after that can only be "
        "released by calling security on 555-0143.",
        (
            ("how many spots in the staff car park", "60 spaces"),
            ("parking permit price", "18 euros per month"),
            ("How long can I leave my EV charging?", "maximum 4 hours"),
            ("where do visitors park", "in the front lot"),
            ("what time does the barrier shut", "9 pm"),
            ("is staff parking free", "permits cost 18 euros per month"),
        ),
    ),
    (
        "Canteen update\n"
        "From next week the canteen on the ground floor opens at 7:30 for breakfast and serves lunch from 11:45 to "
        "14:00. The daily hot meal costs 6.20 euros with your staff card, or 8.50 euros without. There is always one "
        "vegan option, marked with a leaf on the menu board. Please return trays to the rack by the exit. Cash is no "
        "longer accepted; pay by card or phone. Feedback and allergy questions can go to the head chef, Marco "
        "Bellini.",
        (
            ("lunch hours", "11:45 to 14:00"),
            ("how much is the hot meal with a staff card", "6.20 euros"),
            ("price if i forgot my card", "8.50 euros"),
            ("How can I tell which dish is vegan?", "marked with a leaf"),
            ("who do i talk to about allergies", "Marco Bellini"),
            ("canteen take cash?", "Cash is no longer accepted"),
        ),
    ),
    (
        "Notice to all staff: fire drill and lift maintenance\n"
        "A fire drill will take place on Tuesday 22 April at 10:30 am. When the alarm sounds, leave by the nearest "
        "stairwell and gather at assembly point B, which is the car park next to the bakery on Elm Street. Do not use "
        "the lifts. Separately, lift 2 will be out of service from 28 April to 2 May for maintenance. Staff with "
        "mobility needs should contact Rachel Kim on ext. 2215 to arrange help.",
        (
            ("whens the fire drill", "Tuesday 22 April at 10:30 am"),
            ("Where do we gather when the alarm goes off?", "assembly point B"),
            ("which lift is out", "lift 2"),
            ("how long is the lift out of service", "from 28 April to 2 May"),
            ("who to call if i need help with stairs", "Rachel Kim"),
            ("are we allowed to use the lift during the drill", "Do not use the lifts"),
        ),
    ),
    (
        "Hybrid Working Guidelines\n"
        "Employees may work from home up to 2 days per week, agreed with their line manager. Tuesdays and Thursdays "
        "are team days, when everyone is expected in the office. Home working equipment (a chair and a second "
        "monitor) can be claimed once, up to a limit of 300 euros, with receipts submitted within 30 days. Working "
        "from abroad is allowed for a maximum of 10 working days per year and needs approval from HR. Core hours are "
        "10 am to 3 pm.",
        (
            ("how many wfh days a week", "up to 2 days per week"),
            ("Which days do I have to come in?", "Tuesdays and Thursdays"),
            ("home office equipment budget", "300 euros"),
            ("how long can i work from abroad", "10 working days per year"),
            ("core hours?", "10 am to 3 pm"),
            (
                "can i work from abroad for a week",
                "Working from abroad is allowed for a maximum of 10 working days per year",
            ),
        ),
    ),
    # --- Event invitations ---------------------------------------------------------------------------------------
    (
        "Sofia Marchetti & Daniel Kowalski would love you to join them for their wedding on Saturday 6 September "
        "2025.\n"
        "Ceremony: 2 pm at the Church of San Lorenzo, Via Roma 12, Castelrosso\n"
        "Reception: from 5 pm at Villa Aurelia, a 10-minute drive away\n"
        "A shuttle bus will leave the church at 4:15 pm. Dress code is summer formal. Please RSVP by 15 June to Sofia "
        "on +39 347 220 5810 and let us know about any dietary needs. No gifts please, a contribution to our "
        "honeymoon fund is more than enough!",
        (
            ("whens the wedding", "Saturday 6 September 2025"),
            ("What time does the ceremony start?", "2 pm"),
            ("where's the reception", "Villa Aurelia"),
            ("shuttle leaves when", "4:15 pm"),
            ("rsvp deadline", "15 June"),
            ("should we get them a present", "No gifts please"),
        ),
    ),
    (
        "You're invited!\n"
        "Maya is turning 7 and we're celebrating with a pirate party on Sunday 18 May from 2:30 to 5 pm at Jumpzone, "
        "Unit 4, Harbour Retail Park. Kids should wear socks with grips (they can buy a pair there for 2 pounds). "
        "There will be pizza, cake and a treasure hunt. Parents are welcome to stay for a coffee in the café. Please "
        "let Claire (Maya's mum) know by Wednesday if your child can come: 07812 334 901.",
        (
            ("How old will Maya be?", "7"),
            ("party theme", "pirate"),
            ("wheres the party", "Jumpzone, Unit 4, Harbour Retail Park"),
            ("how much r grip socks", "2 pounds"),
            ("claire's number", "07812 334 901"),
            ("can parents stay", "Parents are welcome to stay for a coffee in the café"),
        ),
    ),
    (
        "Python Meetup Lisbon #34\n"
        "When: Thursday 10 October, doors 18:30, talks start 19:00\n"
        "Where: Fábrica Coworking, Rua do Açúcar 88, 2nd floor\n"
        "Talks:\n"
        "- Inês Carvalho: Speeding up pandas with Arrow\n"
        "- Tom Becker: Testing async code without tears\n"
        "Free entry, but places are limited to 80, so register on our Meetup page. Pizza and drinks sponsored by "
        "Lumen Data. The nearest metro is Beato, a 7-minute walk.",
        (
            ("what time do talks begin", "19:00"),
            ("venue?", "Fábrica Coworking"),
            ("who's doing the pandas talk", "Inês Carvalho"),
            ("How many people can come?", "80"),
            ("closest metro", "Beato"),
            ("is it free", "Free entry"),
        ),
    ),
    (
        "GreenBuild Summit 2025\n"
        "The three-day conference on sustainable construction runs from 24 to 26 March at the Messe Congress Centre "
        "in Graz. Early-bird tickets cost 390 euros until 31 January; after that the standard price is 520 euros. "
        "Students pay 95 euros with a valid ID. The keynote on day one is by architect Hanne Lindqvist. Registration "
        "opens at 8 am each morning in Hall A. Conference partner hotels offer a 15% discount with the code GBS25.",
        (
            ("conference dates", "24 to 26 March"),
            ("early bird price", "390 euros"),
            ("how much for students", "95 euros"),
            ("Who is giving the keynote?", "Hanne Lindqvist"),
            ("hotel discount code", "GBS25"),
            ("is there a student rate", "Students pay 95 euros with a valid ID"),
        ),
    ),
    (
        "Farewell drinks for Gerald\n"
        "After 31 years with the company, Gerald Osei is retiring at the end of the month. Join us to say goodbye on "
        "Friday 28 June from 5:30 pm at The Crown & Anchor, upstairs room. First round is on the company. We're "
        "collecting for a leaving present (he's been talking about a new fishing rod for years); put whatever you can "
        "in the envelope at Lisa's desk by Wednesday, or transfer it to the team kitty. Partners welcome.",
        (
            ("how long has gerald been here", "31 years"),
            ("Which pub are the drinks at?", "The Crown & Anchor"),
            ("what time does it kick off", "5:30 pm"),
            ("what are we getting him", "a new fishing rod"),
            ("where do i put cash for the present", "in the envelope at Lisa's desk"),
            ("can i bring my wife", "Partners welcome"),
            ("do we pay for our own drinks", "First round is on the company"),
        ),
    ),
    (
        "Summer Street Party on Birchwood Avenue!\n"
        "Saturday 12 July, 1 pm until late. The road will be closed to traffic between numbers 2 and 48 from 11 am to "
        "10 pm (the council has approved it). Bring a dish to share and your own chairs; we'll provide tables, a "
        "barbecue and a bouncy castle for under-10s. Live music from the Hollis Street Ramblers starts at 6 pm. If it "
        "rains, we'll move into the church hall on Chapel Lane. Contact: Aisha and Rob at number 31.",
        (
            ("what time does the road close", "11 am"),
            ("What should we bring?", "a dish to share and your own chairs"),
            ("whos playing", "the Hollis Street Ramblers"),
            ("rain plan", "the church hall on Chapel Lane"),
            ("who's organising", "Aisha and Rob"),
            ("can my 12 year old go on the bouncy castle", "a bouncy castle for under-10s"),
        ),
    ),
    # --- Product descriptions and manuals ------------------------------------------------------------------------
    (
        "Brevio Duo Espresso Machine: Quick Start\n"
        "1. Fill the water tank (1.8 litres) with fresh cold water.\n"
        "2. Press the power button; the light blinks while heating and turns steady after about 40 seconds.\n"
        "3. Use 7 grams of ground coffee for a single shot, 14 grams for a double.\n"
        "Descale every 2 months with Brevio descaler, or when the orange drop symbol lights up. Never put the "
        "portafilter in the dishwasher. Warranty: 2 years; register at brevio.eu/care to extend it by a further year.",
        (
            ("how big is the water tank", "1.8 litres"),
            ("how long does it take to heat up", "about 40 seconds"),
            ("coffee for a double shot", "14 grams"),
            ("How often should I descale it?", "every 2 months"),
            ("warranty?", "2 years"),
            ("portafilter dishwasher safe?", "Never put the portafilter in the dishwasher"),
        ),
    ),
    (
        "Auralis Q7 Wireless Headphones\n"
        "Up to 38 hours of playback with noise cancelling off, or 30 hours with it on. A 10-minute charge via USB-C "
        "gives about 5 hours of listening. To pair, hold the power button for 5 seconds until the LED flashes blue "
        "and red, then pick Auralis Q7 in your phone's Bluetooth menu. Double-tap the right ear cup to switch between "
        "noise cancelling and ambient mode. Weight: 254 g. In the box: carry case, USB-C cable, 3.5 mm audio cable. "
        "Price: 179 euros.",
        (
            ("battery life with anc on", "30 hours"),
            ("how much listening from a 10 min charge", "about 5 hours"),
            ("How do I pair them?", "hold the power button for 5 seconds"),
            ("how heavy r they", "254 g"),
            ("price", "179 euros"),
            ("do they come with an aux cable", "3.5 mm audio cable"),
        ),
    ),
    (
        "Nova X5 smartphone\n"
        "Screen: 6.4-inch OLED, 120 Hz\n"
        "Storage: 128 GB or 256 GB (no memory card slot)\n"
        "Battery: 4,800 mAh, 45 W fast charging (charger sold separately)\n"
        "Cameras: 50 MP main, 12 MP ultra-wide, 32 MP selfie\n"
        "Colours: graphite, sage green, sand\n"
        "The Nova X5 is water resistant to IP68 and will receive Android updates until 2030. Prices start at 549 "
        "euros for the 128 GB model; the 256 GB version is 619 euros.",
        (
            ("screen size", "6.4-inch"),
            ("battery capacity?", "4,800 mAh"),
            ("selfie cam mp", "32 MP"),
            ("What colours can I get it in?", "graphite, sage green, sand"),
            ("how much is the 256gb one", "619 euros"),
            ("does it take an sd card", "no memory card slot"),
            ("charger in the box?", "charger sold separately"),
        ),
    ),
    (
        "HALVA bookcase: assembly instructions\n"
        "You will need a Phillips screwdriver and a hammer; an Allen key is included. Assembly takes about 45 minutes "
        "and is easier with two people. Start by attaching the side panels (A) to the base (B) using the 8 long "
        "screws. Slide the back panel into the groove before fixing the top. Each shelf holds up to 15 kg. The "
        "bookcase must be fixed to the wall with the included bracket to stop it tipping over. Missing parts? Call "
        "0800 414 227 with the part number.",
        (
            ("what tools do i need", "a Phillips screwdriver and a hammer"),
            ("How long does it take to put together?", "about 45 minutes"),
            ("max weight per shelf", "15 kg"),
            ("which screws go on the sides", "the 8 long screws"),
            ("number to call for missing parts", "0800 414 227"),
            ("does it need fixing to the wall", "The bookcase must be fixed to the wall"),
        ),
    ),
    (
        "Kelvin WM-814 washing machine: programme guide\n"
        "Cotton 40°: 2 h 50 min, max load 8 kg\n"
        "Quick 30: 30 minutes, max load 3 kg, for lightly soiled items only\n"
        "Wool: 55 minutes, hand-wash label items, max 2 kg\n"
        "The child lock is activated by holding Temp and Spin together for 3 seconds. If the display shows E21, the "
        "filter is blocked: unscrew the small flap at the bottom right and clean it. Run an empty 90° cycle once a "
        "month to prevent smells.",
        (
            ("how long is cotton 40", "2 h 50 min"),
            ("max load on the quick wash", "3 kg"),
            ("How do I turn on the child lock?", "holding Temp and Spin together for 3 seconds"),
            ("display says E21 what does that mean", "the filter is blocked"),
            ("wheres the filter", "at the bottom right"),
            ("is quick 30 ok for really muddy football kit", "for lightly soiled items only"),
        ),
    ),
    (
        "RoboSweep S3 robot vacuum\n"
        "The S3 runs for up to 120 minutes on a full charge, enough for around 150 square metres. It returns to its "
        "dock automatically when the battery drops below 15%. The dust bin holds 450 ml and should be emptied after "
        "every run. Set up schedules and no-go zones in the SweepHome app. Replace the side brush every 3 to 6 months "
        "and the filter every 2 months. Not suitable for deep-pile rugs or wet floors.",
        (
            ("how long does the battery last", "up to 120 minutes"),
            ("how much floor can it cover", "around 150 square metres"),
            ("When does it go back to the dock?", "when the battery drops below 15%"),
            ("app name?", "SweepHome"),
            ("how often to change the filter", "every 2 months"),
            ("will it work on our shaggy rug", "Not suitable for deep-pile rugs"),
        ),
    ),
    (
        "Elevo standing desk: user notes\n"
        "Height range: 62 to 127 cm. Max load: 100 kg, spread evenly. The control panel has three memory buttons; to "
        "save a height, press M, then 1, 2 or 3 within 4 seconds. If the desk stops moving or shows ASR, hold the "
        "down arrow for 10 seconds until it lowers fully and beeps, which resets it. The motor may run for no more "
        "than 2 minutes in every 18 minutes. Clean the desktop with a damp cloth only, no solvents.",
        (
            ("height range", "62 to 127 cm"),
            ("max weight on the desk", "100 kg"),
            ("How do I save my favourite height?", "press M, then 1, 2 or 3 within 4 seconds"),
            ("desk shows ASR and wont move", "hold the down arrow for 10 seconds"),
            ("how do i clean it", "with a damp cloth only"),
            ("can i use glass cleaner on the top", "no solvents"),
        ),
    ),
    # --- Shops, restaurants and venues ---------------------------------------------------------------------------
    (
        "Trattoria Da Nino, lunch menu (Mon-Fri, 12:00-15:00)\n"
        "Starters: bruschetta 6 euros, minestrone 7.50 euros\n"
        "Mains: lasagne 13 euros, risotto ai funghi 14.50 euros, grilled sea bass 19 euros\n"
        "Desserts: tiramisù 6.50 euros, panna cotta 6 euros\n"
        "The two-course set lunch (any starter + lasagne or risotto) is 17 euros. Gluten-free pasta is available for "
        "2 euros extra. Tables for more than 6 must be booked on 030 7741 2290.",
        (
            ("how much is the sea bass", "19 euros"),
            ("set lunch price", "17 euros"),
            ("When is the lunch menu on?", "Mon-Fri, 12:00-15:00"),
            ("gluten free pasta cost", "2 euros extra"),
            ("number to book for a big group", "030 7741 2290"),
            ("do they do gluten free", "Gluten-free pasta is available for 2 euros extra"),
            ("we're 4, do we need to book", "Tables for more than 6 must be booked"),
        ),
    ),
    (
        "Hartley & Sons Hardware\n"
        "Opening hours: Monday to Friday 8 am-6 pm, Saturday 8 am-4 pm, Sunday closed. Bank holidays 10 am-2 pm.\n"
        "Returns: unused items can be returned within 28 days with the receipt for a full refund. Without a receipt "
        "we can only offer store credit. Cut-to-size timber, mixed paint and gas canisters cannot be returned. Free "
        "parking for customers at the back of the shop, entrance via Mill Lane. Key cutting while you wait from 4.50 "
        "pounds.",
        (
            ("saturday hours", "8 am-4 pm"),
            ("how long do i have to return stuff", "within 28 days"),
            ("lost my receipt, what do i get", "store credit"),
            ("What can't I return?", "Cut-to-size timber, mixed paint and gas canisters"),
            ("key cutting price", "4.50 pounds"),
            ("open sundays?", "Sunday closed"),
            ("is there parking", "Free parking for customers at the back of the shop"),
        ),
    ),
    (
        "Delivery from Pizzeria Bella Napoli\n"
        "We deliver every day from 5 pm to 11 pm within 6 km of the restaurant. Minimum order is 15 euros; delivery "
        "is free over 30 euros, otherwise it costs 2.90 euros. Average delivery time is 35 minutes, longer on Friday "
        "and Saturday evenings. Pay by card or cash to the driver. Order online at bellanapoli-delivery.nl or call "
        "020 845 3317. Family deal: two large pizzas, garlic bread and a 1.5 L drink for 32 euros.",
        (
            ("minimum order", "15 euros"),
            ("delivery fee under 30", "2.90 euros"),
            ("How far do they deliver?", "within 6 km of the restaurant"),
            ("how long does delivery usually take", "35 minutes"),
            ("family deal price", "32 euros"),
            ("can i pay the driver in cash", "Pay by card or cash to the driver"),
        ),
    ),
    (
        "Visiting the Marlow Maritime Museum\n"
        "Open Tuesday to Sunday, 10:00-17:00 (last entry 16:15). Closed on Mondays except school holidays.\n"
        "Tickets: adults 14 pounds, children 5-15 years 7 pounds, under-5s free. Family ticket (2 adults, 2 children) "
        "36 pounds.\n"
        "The café on the top floor serves lunch until 15:00. Lockers for bags cost 1 pound (refunded). Guided tours "
        "of the submarine run at 11:00 and 14:30 and must be booked at the front desk.",
        (
            ("last entry", "16:15"),
            ("ticket for a 10 year old", "7 pounds"),
            ("How much is a family ticket?", "36 pounds"),
            ("wheres the cafe", "on the top floor"),
            ("submarine tour times", "11:00 and 14:30"),
            ("does my 3 year old need a ticket", "under-5s free"),
        ),
    ),
    (
        "Pedal Point bike repairs\n"
        "Basic service (brakes, gears, tyre pressure, chain lube): 45 euros\n"
        "Full service: 95 euros, parts extra\n"
        "Puncture repair: 12 euros while you wait, 15 minutes\n"
        "Bookings are needed for services; drop your bike off before 10 am and collect it after 4 pm the same day. "
        "We're open Tuesday to Saturday, 9:30 to 18:00. E-bike motors are not repaired in-house; we send them to the "
        "manufacturer, which usually takes 2-3 weeks. Find us at Havnegade 7, next to the ferry terminal.",
        (
            ("how much to fix a flat", "12 euros"),
            ("basic service cost", "45 euros"),
            ("When do I need to drop my bike off?", "before 10 am"),
            ("ebike motor repair how long", "2-3 weeks"),
            ("where are they", "Havnegade 7, next to the ferry terminal"),
            ("can they fix my e-bike motor in the shop", "E-bike motors are not repaired in-house"),
        ),
    ),
    (
        "Roxy Cinema: info for visitors\n"
        "Tickets: 11 euros, 8.50 euros on Tuesdays (cheap day) and for students with ID. Children's matinees on "
        "Sunday at 11 am cost 6 euros. Doors open 30 minutes before the first screening. Screen 3 is wheelchair "
        "accessible; please tell staff when booking. You may bring your own snacks, but not hot food or alcohol. The "
        "bar serves local beer from Ostbräu and opens at 5 pm. Parking: the Marktplatz garage, 2 euros for 3 hours "
        "with your cinema ticket.",
        (
            ("which day is cheap day", "Tuesdays"),
            ("student ticket price", "8.50 euros"),
            ("Which screen has wheelchair access?", "Screen 3"),
            ("what food cant i bring in", "hot food or alcohol"),
            ("parking cost w/ ticket", "2 euros for 3 hours"),
            ("can we bring our own popcorn", "You may bring your own snacks"),
        ),
    ),
    # --- Sports clubs and hobby groups ---------------------------------------------------------------------------
    (
        "Riverside Juniors FC: autumn season\n"
        "Training for the U10 and U12 squads is on Tuesdays and Thursdays, 5:30-7 pm, at Fairfield Park (pitch 3). "
        "The U14s train on Mondays and Wednesdays at the same time. Season fees are 120 pounds per child, 100 pounds "
        "for a second sibling, due by 30 September. Shin pads are compulsory. The new kit (shirt, shorts, socks) "
        "costs 35 pounds and can be ordered from coach Danny Reeves. Matches are on Saturday mornings; the fixture "
        "list is on the club app.",
        (
            ("when do the u12s train", "Tuesdays and Thursdays, 5:30-7 pm"),
            ("which pitch", "pitch 3"),
            ("fee for my second kid", "100 pounds"),
            ("How much is the new kit?", "35 pounds"),
            ("who do i order the kit from", "Danny Reeves"),
            ("does he really need shin pads", "Shin pads are compulsory"),
        ),
    ),
    (
        "Tollbridge Book Club\n"
        "We meet on the first Wednesday of every month at 7:30 pm in the back room of Pages & Co, 14 High Street. "
        "November's book is The Salt Road by Amira Haddou; December's is a poetry collection of your choice, and "
        "we'll read favourites aloud. Membership is 20 pounds a year, which covers tea and a 10% discount at the "
        "shop. New members are always welcome, just turn up. Our organiser is Beatrice Long, who you can reach at "
        "bea.long@tollbridgebooks.org.",
        (
            ("when does the book club meet", "the first Wednesday of every month at 7:30 pm"),
            ("What are we reading in November?", "The Salt Road"),
            ("who wrote it", "Amira Haddou"),
            ("membership cost", "20 pounds a year"),
            ("organisers email", "bea.long@tollbridgebooks.org"),
            ("can i just turn up or do i have to sign up first", "New members are always welcome, just turn up"),
        ),
    ),
    (
        "Harbour Runners: Saturday long run\n"
        "Meet at 8 am sharp outside the lifeboat station. This week's route is 16 km along the coastal path to "
        "Porthgwin and back, with a water stop at the 8 km mark. There are two pace groups: 5:30 min/km led by "
        "Kerensa, and 6:15 min/km led by Phil. Bring a waterproof, the forecast says showers. After the run we'll have "
        "breakfast at the Sandpiper Café (they give us 10% off). Non-members can try two runs for free before joining "
        "(25 pounds a year).",
        (
            ("where do we meet", "outside the lifeboat station"),
            ("how far is the run", "16 km"),
            ("Who leads the slower group?", "Phil"),
            ("breakfast after, where", "the Sandpiper Café"),
            ("how much to join", "25 pounds a year"),
            ("can i try a run before i join", "Non-members can try two runs for free before joining"),
        ),
    ),
    (
        "Lakeside Tennis Club: court booking rules\n"
        "Courts can be booked up to 7 days ahead through the club website. Members may book one 60-minute slot per "
        "day at peak times (weekdays 5-9 pm and weekends 9 am-1 pm). Guests pay 8 euros per visit and must play with "
        "a member. Floodlights cost 4 euros per hour, paid with the token machine by the clubhouse. Proper tennis "
        "shoes only, no running shoes on the clay courts. If you can't use a booking, cancel at least 24 hours in "
        "advance.",
        (
            ("How far in advance can I book a court?", "up to 7 days ahead"),
            ("peak times at the weekend", "9 am-1 pm"),
            ("guest fee", "8 euros per visit"),
            ("how much r the floodlights", "4 euros per hour"),
            ("cancellation notice", "at least 24 hours in advance"),
            ("are running shoes ok on clay", "no running shoes on the clay courts"),
        ),
    ),
    (
        "Greyfield Community Choir: spring concert\n"
        "Our spring concert is on Sunday 27 April at 4 pm in St Mark's Church. Extra rehearsals will be held on "
        "Thursday 17 and Thursday 24 April, 7-9 pm, in the school hall. Please arrive by 2:45 pm on the day for the "
        "warm-up. Dress: black trousers or skirt and a white top. Tickets are 10 pounds (under-16s free) and can be "
        "bought from Margaret or at the door. We're still short of tenors, so bring a friend if they can sing!",
        (
            ("what time is the concert", "4 pm"),
            ("Where is the concert?", "St Mark's Church"),
            ("what do we wear", "black trousers or skirt and a white top"),
            ("arrival time on the day", "2:45 pm"),
            ("which voices are they short of", "tenors"),
            ("can people buy tickets at the door", "can be bought from Margaret or at the door"),
        ),
    ),
    (
        "Alpenrose Hiking Group: trip to Lake Seealm\n"
        "Date: Sunday 15 June. We take the 7:42 train from Hauptbahnhof to Mittenkirch (buy a day ticket for 19 "
        "euros; groups of five share a group ticket for 44 euros). The hike is 14 km with 750 m of climbing, about 5 "
        "hours walking. Bring lunch, at least 1.5 litres of water and proper boots. There's a hut at the lake where "
        "you can buy drinks and apple strudel. Leader: Walter Brunner, phone 0171 228 4930.",
        (
            ("what time's the train", "7:42"),
            ("group ticket cost", "44 euros"),
            ("how much uphill is there", "750 m"),
            ("How much water should I bring?", "at least 1.5 litres"),
            ("who's leading the hike", "Walter Brunner"),
            ("can we get food up at the lake", "There's a hut at the lake where you can buy drinks and apple strudel"),
        ),
    ),
    # --- Short local news items ----------------------------------------------------------------------------------
    (
        "Bridge closure in Ellsworth\n"
        "The Queen's Bridge over the River Ock will close to all traffic from Monday 3 March for about six weeks "
        "while the council replaces the expansion joints. Pedestrians and cyclists will still be able to cross using "
        "a temporary walkway on the east side. Drivers are advised to use the bypass via Tanner's Lane, which adds "
        "around 10 minutes. The number 14 bus will be diverted, but the number 7 keeps its normal route. The work "
        "will cost an estimated 1.2 million pounds.",
        (
            ("which bridge is shutting", "The Queen's Bridge"),
            ("How long will it be closed?", "about six weeks"),
            ("how do people on foot get across", "using a temporary walkway on the east side"),
            ("which bus gets diverted", "number 14"),
            ("cost of the work", "1.2 million pounds"),
            ("can i still cycle over it", "Pedestrians and cyclists will still be able to cross"),
        ),
    ),
    (
        "Westbrook's new library opens\n"
        "After two years of building work, Westbrook's new library on Carter Square opens its doors on Saturday 5 "
        "October. The three-storey building has 40,000 books, a children's floor with a reading tent, 24 public "
        "computers and a rooftop garden. Mayor Ruth Adebayo will cut the ribbon at 10 am. Opening hours will be 9 am "
        "to 8 pm on weekdays and 10 am to 5 pm at weekends. Membership is free for residents; just bring proof of "
        "address.",
        (
            ("wheres the new library", "on Carter Square"),
            ("opening day", "Saturday 5 October"),
            ("how many computers do they have", "24"),
            ("Who is cutting the ribbon?", "Mayor Ruth Adebayo"),
            ("what do i need to sign up", "proof of address"),
            ("do i have to pay to join the library", "Membership is free for residents"),
        ),
    ),
    (
        "Farmers' market moves to Sundays\n"
        "The weekly farmers' market in Kilbride will move from Saturdays to Sundays starting 2 June, organisers "
        "announced on Tuesday. The market, which has run in the Old Mart car park since 2009, will keep its hours of "
        "9 am to 1 pm. Around 30 stallholders take part, selling everything from cheese to honey. Organiser Fergus "
        "Doyle said the change was made because many traders also sell at the Saturday market in Ennisford. Parking "
        "will be available at the leisure centre.",
        (
            ("what day is the market on now", "Sundays"),
            ("starting when", "2 June"),
            ("How many stallholders are there?", "Around 30"),
            ("why'd they change the day", "many traders also sell at the Saturday market in Ennisford"),
            ("where can i park", "at the leisure centre"),
            ("are the hours changing too", "will keep its hours of 9 am to 1 pm"),
        ),
    ),
    (
        "Planned water outage in Dunmore\n"
        "Northern Water will switch off the supply to homes on Ashgrove Road, Mill Close and the western half of "
        "Station Street on Wednesday 19 February from 9 am to about 3 pm, to replace a 60-year-old main. Bottled "
        "water will be handed out at the community centre from 8:30 am. Residents may notice cloudy water for a few "
        "hours after the supply returns; running the cold kitchen tap for two minutes should clear it. Questions: "
        "0345 118 2266.",
        (
            ("which streets lose water", "Ashgrove Road, Mill Close and the western half of Station Street"),
            ("When will the water be off?", "Wednesday 19 February from 9 am to about 3 pm"),
            ("where do i get bottled water", "the community centre"),
            ("water looks cloudy what do i do", "running the cold kitchen tap for two minutes"),
            ("helpline number", "0345 118 2266"),
            ("will they hand out bottled water", "Bottled water will be handed out at the community centre"),
        ),
    ),
    (
        "Local teen wins national baking title\n"
        "Sixteen-year-old Lena Hofmann from Brückenau has won the Young Bakers Cup in Hamburg, beating 11 other "
        "finalists. Her winning entry was a plum and walnut tart based on her grandmother's recipe. Lena, a pupil at "
        "the Goethe-Gymnasium, receives 2,000 euros and a week's internship at the Konditorei Hansen. She says she "
        "wants to open her own café one day. The school will hold a small celebration for her on Friday afternoon.",
        (
            ("who won", "Lena Hofmann"),
            ("What did she bake?", "a plum and walnut tart"),
            ("how many other finalists were there", "11"),
            ("prize money", "2,000 euros"),
            ("which school is she at", "the Goethe-Gymnasium"),
            ("is the school doing anything for her", "The school will hold a small celebration for her"),
        ),
    ),
    (
        "New bus line connects Fernhill and the hospital\n"
        "From Monday 6 January, the new line 22 will run between Fernhill station and St Anne's Hospital every 20 "
        "minutes on weekdays and every 40 minutes on Sundays. The first bus leaves Fernhill at 5:50 am and the last "
        "returns from the hospital at 11:10 pm. A single fare costs 2.40 euros; pensioners travel free with their "
        "city pass. The journey takes 18 minutes. The line replaces the old 9B, which has been cut.",
        (
            ("which bus goes to the hospital", "line 22"),
            ("how often on weekdays", "every 20 minutes"),
            ("What time is the first bus?", "5:50 am"),
            ("single fare", "2.40 euros"),
            ("what line did it replace", "9B"),
            ("do pensioners ride for free", "pensioners travel free with their city pass"),
        ),
    ),
    # --- Travel itineraries and bookings -------------------------------------------------------------------------
    (
        "Booking confirmation: AZ-7K2PQ\n"
        "Passenger: Mr Rahul Mehta\n"
        "Outbound: Tuesday 11 November, flight SK 1467, Copenhagen (CPH) 07:15 to Vienna (VIE) 09:05, seat 14C\n"
        "Return: Friday 14 November, flight SK 1470, Vienna 18:40 to Copenhagen 20:30, seat 9A\n"
        "Baggage: 1 cabin bag up to 8 kg included; checked bag not included (add for 35 euros each way). Online "
        "check-in opens 30 hours before departure. Please be at the gate at least 20 minutes before departure.",
        (
            ("booking ref", "AZ-7K2PQ"),
            ("what time do i land in vienna", "09:05"),
            ("return flight number", "SK 1470"),
            ("How heavy can my cabin bag be?", "8 kg"),
            ("when does online checkin open", "30 hours before departure"),
            ("Is a checked bag included?", "checked bag not included"),
        ),
    ),
    (
        "Hotel Bellevue Lucerne: reservation confirmed\n"
        "Guest: Ms Claudia Ferreira\n"
        "Check-in: 3 August from 3 pm | Check-out: 6 August by 11 am\n"
        "Room: double room with lake view, 3 nights, breakfast included\n"
        "Total: 864 CHF, payable at the hotel. Free cancellation until 27 July; after that the first night (288 CHF) "
        "is charged. Breakfast is served from 7 to 10:30 am on the terrace. Parking in our garage costs 25 CHF per "
        "night. The hotel is a 5-minute walk from Lucerne station.",
        (
            ("check in from what time", "3 pm"),
            ("checkout?", "11 am"),
            ("What's the total?", "864 CHF"),
            ("free cancellation until when", "27 July"),
            ("parking price", "25 CHF per night"),
            ("breakfast included", "breakfast included"),
            ("do we get a lake view", "double room with lake view"),
        ),
    ),
    (
        "Your train journey: Lyon to Barcelona\n"
        "Date: Saturday 21 June\n"
        "Train: TGV INOUI 9713, departs Lyon Part-Dieu 14:04, arrives Barcelona Sants 19:06\n"
        "Coach 15, seats 84 and 85 (upper deck)\n"
        "Ticket price: 2 adults, 118 euros total. Tickets are non-exchangeable and non-refundable. The bar car is "
        "coach 14. Board at least 2 minutes before departure; the doors close automatically. Your e-ticket QR code "
        "will be checked on board, so keep it on your phone.",
        (
            ("what time do we leave lyon", "14:04"),
            ("When do we get to Barcelona?", "19:06"),
            ("which coach r we in", "Coach 15"),
            ("seat numbers", "84 and 85"),
            ("where's the bar car", "coach 14"),
            ("can we get our money back if we dont go", "Tickets are non-exchangeable and non-refundable"),
            ("do i need to print the tickets", "keep it on your phone"),
        ),
    ),
    (
        "Car hire voucher: Sunway Rentals, Faro Airport\n"
        "Pick-up: 2 May, 13:30, desk in Arrivals Hall 2\n"
        "Return: 9 May, by 10:00, same location\n"
        "Car: Renault Clio or similar, manual, 5 seats\n"
        "Price: 287 euros for 7 days, including basic insurance with an excess of 1,100 euros. A security deposit of "
        "800 euros will be blocked on the driver's credit card. Fuel policy: full to full. Additional driver: 8 euros "
        "per day. Toll transponder available for 2 euros per day plus tolls.",
        (
            ("where do i pick the car up", "desk in Arrivals Hall 2"),
            ("When does the car have to be back?", "9 May, by 10:00"),
            ("insurance excess", "1,100 euros"),
            ("how much do they block on my card", "800 euros"),
            ("extra driver cost", "8 euros per day"),
            ("is the car an automatic", "manual"),
        ),
    ),
    (
        "Day-by-day: Scottish Highlands tour\n"
        "Day 1: Meet your guide, Callum, at 8:45 am outside the Waverley Hotel, Edinburgh. Drive to Pitlochry for "
        "lunch.\n"
        "Day 2: Boat trip on Loch Ness (included), overnight in Inverness.\n"
        "Day 3: Isle of Skye; the Fairy Pools walk is optional, about 2.5 km.\n"
        "Day 4: Return to Edinburgh, arriving around 6 pm.\n"
        "The price of 495 pounds includes minibus transport, 3 nights in guesthouses with breakfast and all entry "
        "fees. Dinners are not included. Maximum group size: 16.",
        (
            ("guide's name", "Callum"),
            ("where do we meet on day one", "outside the Waverley Hotel, Edinburgh"),
            ("Where do we stay on the second night?", "Inverness"),
            ("how much is the tour", "495 pounds"),
            ("whats not included", "Dinners"),
            ("is the fairy pools walk compulsary", "the Fairy Pools walk is optional"),
        ),
    ),
    (
        "Ferry booking: Piraeus to Naxos\n"
        "Reference: BLS-552901\n"
        "Departure: 8 July at 07:25 from Piraeus, Gate E7, on the Blue Star Delos\n"
        "Arrival: Naxos at 13:10\n"
        "Passengers: 2 adults, 1 child (age 9), 1 car (VW Golf, plate KR-4471)\n"
        "Total paid: 246 euros\n"
        "Vehicles must be at the port 90 minutes before departure; foot passengers 45 minutes. Pets travel in the "
        "kennels on deck 5. Bring the passport or ID of each traveller.",
        (
            ("which gate", "Gate E7"),
            ("What's the ship called?", "Blue Star Delos"),
            ("arrival time in naxos", "13:10"),
            ("how early do we need to be there with the car", "90 minutes before departure"),
            ("how much did we pay", "246 euros"),
            ("can the dog come on the ferry", "Pets travel in the kennels on deck 5"),
        ),
    ),
    # --- Messages and notes from family and friends ---
    (
        "Hi all! Grandma Rosa's 80th is on Saturday 14 June at our place, 27 Via dei Tigli, Lucca. "
        "Lunch starts at 1 pm but come from 12:30 if you can help set up. Marco is bringing the cake "
        "from Pasticceria Bonetti, Giulia does the salads, and Uncle Piero promised two bottles of prosecco. "
        "Please don't bring flowers, she says the house is full already. Parking is easiest behind the church. "
        "Call me on 347 210 5589 if you get lost. Love, Chiara",
        (
            ("who's bringing the cake", "Marco"),
            ("What time does lunch start?", "1 pm"),
            ("wheres the party", "27 Via dei Tigli, Lucca"),
            ("best place to park?", "behind the church"),
            ("chiara's number", "347 210 5589"),
            ("should i bring flowers for grandma", "Please don't bring flowers"),
        ),
    ),
    (
        "Hey Tom, directions to the cabin: take the A9 north and leave at exit 14 (Kirkhill). Turn left at "
        "the petrol station, then drive about 6 km until you see a red postbox. The gravel track right after "
        "it leads to the cabin. The key is under the blue flowerpot by the back door. Wi-Fi password is "
        "heather2024. The fridge is empty, so stop at the Co-op in Kirkhill, it closes at 8 pm on Sundays. "
        "See you Friday! - Fiona",
        (
            ("Which exit do I take off the A9?", "exit 14 (Kirkhill)"),
            ("where's the key hidden", "under the blue flowerpot by the back door"),
            ("wifi pw", "heather2024"),
            ("how far past the petrol station", "about 6 km"),
            ("when does the coop shut on sunday", "8 pm"),
            ("any food in the fridge?", "The fridge is empty"),
        ),
    ),
    (
        "Camping weekend checklist (Lake Vänern, 22-24 August)\n"
        "- Erik: the big tent and the gas stove\n"
        "- Sofia: sleeping mats for everyone\n"
        "- Jonas: food for Saturday, budget 600 kronor\n"
        "- Me (Linnea): car, first aid kit and the canoe booking\n"
        "We leave from Jonas's flat on Kungsgatan 9 at 7:15 on Friday morning. The canoe rental costs "
        "350 kronor per day, we'll split it four ways. Bring your own towel!",
        (
            ("Who has the tent?", "Erik"),
            ("food budget", "600 kronor"),
            ("what time r we leaving friday", "7:15"),
            ("canoe price per day", "350 kronor"),
            ("where are we meeting up", "Jonas's flat on Kungsgatan 9"),
            ("towels provided?", "Bring your own towel!"),
        ),
    ),
    (
        "Notes for Auntie Mei (Thursday evening)\n"
        "Lily has her swimming lesson at 5 pm at the Hillcrest pool, the bag is by the door. Dinner is the "
        "leftover rice in the blue box, two minutes in the microwave. She's allowed 30 minutes of tablet "
        "after homework, no more. Bedtime is 8:30, with one story. She is allergic to peanuts, so no snacks "
        "from the top shelf. We should be home around 11. Our neighbour Mrs Okafor at number 12 has a spare key.",
        (
            ("what time is swimming", "5 pm"),
            ("How much screen time can Lily have?", "30 minutes"),
            ("lily bedtime", "8:30"),
            ("what is she allergic to", "peanuts"),
            ("who has a spare key??", "Mrs Okafor"),
            ("can lily have a snack from the top shelf", "no snacks from the top shelf"),
        ),
    ),
    (
        "Thanks for offering to help with the move! The van is booked from Hertzberg Rentals for Sunday, "
        "pickup 9 am, and it has to be back by 6 pm or they charge an extra 40 euros. My new address is "
        "Lindenstraße 48, 3rd floor, no lift unfortunately. Ben is bringing straps and a trolley. Pizza and "
        "beer are on me afterwards. If you're coming by train, get off at Südbahnhof, it's a five-minute walk.",
        (
            ("When do we pick up the van?", "9 am"),
            ("late fee for the van", "40 euros"),
            ("new address?", "Lindenstraße 48"),
            ("who brings the trolley", "Ben"),
            ("which station do i get off at", "Südbahnhof"),
            ("is there a lift at the new place", "no lift unfortunately"),
        ),
    ),
    # --- Apartment, neighbourhood and building notices ---
    (
        "NOTICE TO RESIDENTS - Birchwood Court\n"
        "The lift in Block B will be out of service from Monday 3 March to Friday 7 March for cable "
        "replacement. Residents who need help carrying shopping can call the caretaker, Mr Dlamini, on "
        "021 448 7730 between 8 am and 4 pm. The lift in Block A remains open and can be reached through the "
        "ground-floor corridor. We apologise for the inconvenience. - Greenfield Property Management",
        (
            ("which lift is broken", "Block B"),
            ("How long will the lift be out?", "from Monday 3 March to Friday 7 March"),
            ("why is it closed", "cable replacement"),
            ("caretaker phone", "021 448 7730"),
            ("whos the caretaker", "Mr Dlamini"),
            ("is the block a lift still working", "The lift in Block A remains open"),
        ),
    ),
    (
        "## Bin collection changes\n"
        "From 1 April, general waste in Maple Street will be collected every other Tuesday instead of weekly. "
        "Recycling (blue bin) stays on Fridays. Food waste now goes in the small brown caddy and is collected "
        "every Wednesday. Put bins out after 7 pm the evening before and bring them back in by 9 pm on "
        "collection day. Bulky items such as mattresses can be booked for collection online, 25 pounds for "
        "up to three items.",
        (
            ("When is recycling picked up?", "Fridays"),
            ("food waste day", "every Wednesday"),
            ("what colour is the recycling bin", "blue"),
            ("cost to get rid of an old mattress", "25 pounds for up to three items"),
            ("earliest i can put the bins out", "after 7 pm the evening before"),
            ("is general waste still every week", "every other Tuesday instead of weekly"),
        ),
    ),
    (
        "Annual residents' meeting\n"
        "Date: Wednesday 19 November, 7 pm\n"
        "Place: community room, ground floor, Rue des Lilas 15\n"
        "On the agenda: the new bicycle storage, repainting the stairwell, and the increase of the service "
        "charge from 82 to 95 euros per month. Owners who cannot attend can give a written proxy to another "
        "resident; proxy forms are in the letterbox of flat 2C. Coffee and biscuits provided. Questions "
        "beforehand to the board chair, Amélie Roussel.",
        (
            ("wheres the meeting", "community room, ground floor, Rue des Lilas 15"),
            ("new service charge", "95 euros per month"),
            ("Who chairs the board?", "Amélie Roussel"),
            ("where do i get a proxy form", "the letterbox of flat 2C"),
            ("start time", "7 pm"),
            (
                "i cant attend, can someone vote for me",
                "Owners who cannot attend can give a written proxy to another resident",
            ),
        ),
    ),
    (
        "Water shut-off, Kowalski Street 3-11\n"
        "The city water company will replace the main pipe on Tuesday 8 October. Water will be off from 9:00 "
        "to about 15:00. A water tank will be parked in front of number 7 for drinking water. After the supply "
        "comes back, run the cold tap for two or three minutes, the water may look brown at first. Report "
        "leaks to the emergency line 994 or to the administrator, Mrs Nowak, tel. 512 330 871.",
        (
            ("what hours is the water off", "from 9:00 to about 15:00"),
            ("Where can I get drinking water?", "in front of number 7"),
            ("how long shud i run the tap after", "two or three minutes"),
            ("emergency number for leaks", "994"),
            ("administrator's name", "Mrs Nowak"),
            ("is it normal if the water comes out brown", "the water may look brown at first"),
        ),
    ),
    (
        "Parcel room rules (Harbour View Apartments)\n"
        "Parcels are kept in the room next to the mailboxes for 10 days. After that they are returned to the "
        "sender. Collect them with your resident fob between 7 am and 10 pm. Large items over 30 kg are not "
        "accepted, so ask the courier to deliver straight to your door. If a parcel is missing, email the "
        "front desk at desk@harbourview.example and include your flat number and tracking code.",
        (
            ("how long do they hold parcels", "10 days"),
            ("parcel room opening hours", "between 7 am and 10 pm"),
            ("What's the weight limit?", "30 kg"),
            ("what happens to parcels nobody collects", "returned to the sender"),
            ("missing parcel, who do i email", "desk@harbourview.example"),
            ("will they take a 40kg delivery", "Large items over 30 kg are not accepted"),
        ),
    ),
    # --- Doctor, dentist, vet and pharmacy instructions ---
    (
        "Dear Mr Haddad, your blood test is booked for Monday 12 May at 8:10 am at the Westside Clinic, "
        "2nd floor, room 214. Please do not eat anything for 10 hours before the test. You may drink water, "
        "but no coffee, tea or juice. Take your usual blood pressure tablet after the test, not before. "
        "Bring your health card and the referral letter. Results are usually ready in 3 working days. "
        "To cancel, call 0161 555 0192.",
        (
            ("what time is my blood test", "8:10 am"),
            ("Which room do I go to?", "room 214"),
            ("how long do i have to fast", "10 hours"),
            ("what am i allowed to drink before", "water"),
            ("results when", "in 3 working days"),
            ("can i have a coffee in the morning before it", "no coffee, tea or juice"),
            (
                "should i take my blood pressure pill before i go",
                "Take your usual blood pressure tablet after the test, not before",
            ),
        ),
    ),
    (
        "Feverol syrup (paracetamol 120 mg/5 ml)\n"
        "Children 2-4 years: 7.5 ml\n"
        "Children 4-6 years: 10 ml\n"
        "Children 6-8 years: 12.5 ml\n"
        "Give up to four times in 24 hours, leaving at least 4 hours between doses. Do not give to babies "
        "under 2 months. If the fever lasts more than 3 days, see a doctor. Shake well before use and store "
        "below 25°C. Once opened, use within 6 months.",
        (
            ("dose for a 5 year old", "10 ml"),
            ("How long should I wait between doses?", "at least 4 hours"),
            ("max times a day", "four times in 24 hours"),
            ("when shoud i see a doctor", "If the fever lasts more than 3 days"),
            ("how long does it keep once opened", "6 months"),
            ("Can I give it to my 6-week-old?", "Do not give to babies under 2 months"),
        ),
    ),
    (
        "After your tooth extraction\n"
        "- Bite on the gauze for 30 minutes.\n"
        "- Don't rinse your mouth for the first 24 hours.\n"
        "- Avoid hot drinks, smoking and straws for 2 days.\n"
        "- For pain, take ibuprofen 400 mg every 8 hours with food.\n"
        "- Eat soft, cool food such as yogurt or mashed potatoes.\n"
        "Some bleeding is normal. If it is heavy after 6 hours, call Dr. Ingrid Vass at Smile Dental, "
        "020 7946 0314. Stitches dissolve by themselves in about 10 days.",
        (
            ("how long do i bite on the gauze", "30 minutes"),
            ("painkiller dose", "ibuprofen 400 mg every 8 hours"),
            ("How long should I avoid rinsing?", "the first 24 hours"),
            ("what can i eat", "soft, cool food"),
            ("when do the stitches go away", "in about 10 days"),
            ("still bleeding a bit, is that ok", "Some bleeding is normal"),
        ),
    ),
    (
        "Pawsley Veterinary Clinic - post-surgery care for Biscuit\n"
        "Biscuit was spayed today and can go home at 4:30 pm. Keep her indoors and quiet for 10 days, no "
        "jumping on the sofa. She must wear the cone at all times, even at night. Tonight give only half her "
        "normal dinner. Give one Meloxi tablet (1.5 mg) with food every morning for 5 days. The stitch check "
        "is on 21 March at 10:15. Out of hours, call 0800 729 4411.",
        (
            ("pickup time for biscuit", "4:30 pm"),
            ("How long does she have to stay inside?", "10 days"),
            ("how often the meloxi", "every morning for 5 days"),
            ("when's the stitch check", "21 March at 10:15"),
            ("how much food tonight", "half her normal dinner"),
            ("can we take the cone off at night", "She must wear the cone at all times, even at night"),
        ),
    ),
    (
        "Travel vaccinations - Dr. Lucía Ferrer, Calle Mayor 22, Valencia\n"
        "Your first hepatitis A dose is on 3 February at 17:45. The second dose is given 6 to 12 months later. "
        "The typhoid vaccine can be given at the same visit. Each vaccine costs 45 euros and is not covered by "
        "public insurance. Arrive 10 minutes early and wear a short-sleeved shirt. You may feel a sore arm for "
        "a day or two. For yellow fever you need the international vaccination centre at Avenida del Puerto 8.",
        (
            ("whens my appointment", "3 February at 17:45"),
            ("price per jab", "45 euros"),
            ("When do I get the second hep A dose?", "6 to 12 months later"),
            ("where do i go for yellow fever", "Avenida del Puerto 8"),
            ("what should i wear", "a short-sleeved shirt"),
            ("does public insurance cover it", "not covered by public insurance"),
        ),
    ),
    # --- School, university and course information ---
    (
        "Enrolment for the autumn term at Riverside Community College opens on 1 July and closes on "
        "15 August. Apply online at the student portal; late applications cost an extra 30 dollars. The fee "
        "for a full-time course is 1,250 dollars per term, payable in two instalments. Students over 60 get "
        "50% off. The admissions office is in Building C, open Monday to Thursday, 10 am to 3 pm. Classes "
        "begin on 2 September.",
        (
            ("deadline for enrolment", "15 August"),
            ("How much is a full-time course?", "1,250 dollars per term"),
            ("late fee?", "30 dollars"),
            ("discount for seniors", "50% off"),
            ("when do classes start", "2 September"),
            ("can i pay the fee in instalments", "payable in two instalments"),
        ),
    ),
    (
        "Biology 201 final exam\n"
        "The exam is on Thursday 12 December, 9:00-11:30, in the Main Hall (not the usual lecture room). It "
        "covers chapters 4 to 11 of Campbell's Biology. Calculators are allowed, phones are not. Bring your "
        "student card; you won't be let in without it. The resit is in late February. Prof. Anand Mehta holds "
        "extra office hours on 9 and 10 December, 2-4 pm, room B118.",
        (
            ("where is the bio exam", "the Main Hall"),
            ("Which chapters are on it?", "chapters 4 to 11"),
            ("what do i need to bring", "your student card"),
            ("extra office hours when", "9 and 10 December, 2-4 pm"),
            ("whens the resit", "late February"),
            ("calculators allowed?", "Calculators are allowed"),
        ),
    ),
    (
        "Reading list for Modern European History (HIS 310), spring semester\n"
        "Required:\n"
        "- Tony Judt, Postwar\n"
        "- Mark Mazower, Dark Continent\n"
        "Recommended:\n"
        "- Eric Hobsbawm, The Age of Extremes\n"
        "Both required books are in the library's short-loan collection, which can be borrowed for 4 hours at "
        "a time. The essay, 3,000 words, is due on 28 March and counts for 40% of the final grade. Seminar "
        "leader: Dr. Katarzyna Wójcik.",
        (
            ("who wrote postwar", "Tony Judt"),
            ("What's the recommended book?", "The Age of Extremes"),
            ("essay length", "3,000 words"),
            ("how much is the essay worth", "40% of the final grade"),
            ("how long can i borrow short loan books for", "4 hours at a time"),
            (
                "does the library have the required books",
                "Both required books are in the library's short-loan collection",
            ),
        ),
    ),
    (
        "Beginner Japanese evening course\n"
        "Tuesdays and Thursdays, 18:30-20:00, from 7 October to 11 December, at the Kitano Cultural Centre, "
        "Room 3. Teacher: Yuki Tanabe. The course fee is 280 euros, textbook (Genki I) not included. Maximum "
        "14 students per group. A short placement chat is needed only if you've studied before. Students who "
        "miss more than 4 lessons don't receive a certificate. Register by email: courses@kitanocentre.example.",
        (
            ("what days is the japanese class", "Tuesdays and Thursdays"),
            ("how much is it", "280 euros"),
            ("Which textbook do we use?", "Genki I"),
            ("max group size", "14 students"),
            ("how many lessons can i miss before losing the certificate", "more than 4 lessons"),
            ("is the book included in the fee", "textbook (Genki I) not included"),
        ),
    ),
    (
        "Year 4 trip to the Science Museum\n"
        "Date: Friday 16 May. The coach leaves Oakfield Primary at 8:45 sharp and returns by 3:30 pm. The cost "
        "is 12 pounds per child; please pay through the ParentPay app by 9 May. Children need a packed lunch "
        "in a disposable bag and a water bottle, no fizzy drinks. School uniform must be worn. We still need "
        "two parent helpers; if you can come, tell Mrs Adeyemi in class 4B.",
        (
            ("cost of the trip", "12 pounds per child"),
            ("What time does the coach leave?", "8:45 sharp"),
            ("pay by when", "9 May"),
            ("what do the kids bring for lunch", "a packed lunch in a disposable bag"),
            ("who do i tell if i wanna help", "Mrs Adeyemi"),
            ("does she have to wear her uniform on the trip", "School uniform must be worn"),
        ),
    ),
    # --- Cooking instructions and recipes ---
    (
        "Fluffy pancakes (makes 8)\n"
        "Whisk 200 g flour, 2 teaspoons baking powder, 1 tablespoon sugar and a pinch of salt. In another bowl "
        "mix 250 ml milk, 1 egg and 30 g melted butter. Combine, but don't overmix, a few lumps are fine. Let "
        "the batter rest for 10 minutes. Cook on a medium-hot pan, about 2 minutes per side, flipping when "
        "bubbles appear. Serve with maple syrup or berries.",
        (
            ("how much flour", "200 g"),
            ("How long should the batter rest?", "10 minutes"),
            ("when do i flip them", "when bubbles appear"),
            ("milk amount", "250 ml"),
            ("cooking time each side", "about 2 minutes per side"),
            ("my batter is lumpy is that bad", "a few lumps are fine"),
        ),
    ),
    (
        "Banana bread\n"
        "Heat the oven to 175°C and grease a 900 g loaf tin. Mash 3 very ripe bananas. Stir in 75 g melted "
        "butter, 150 g brown sugar, 1 egg and a teaspoon of vanilla. Add 190 g plain flour and 1 teaspoon "
        "bicarbonate of soda. Pour into the tin and bake for 55-60 minutes, until a skewer comes out clean. "
        "Let it cool for 15 minutes before slicing. It keeps for 4 days wrapped in foil.",
        (
            ("oven temp", "175°C"),
            ("How many bananas do I need?", "3 very ripe bananas"),
            ("bake time", "55-60 minutes"),
            ("how do i know its done", "until a skewer comes out clean"),
            ("how long does it keep", "4 days"),
            ("can i cut it straight out of the oven", "Let it cool for 15 minutes before slicing"),
        ),
    ),
    (
        "Quick chicken adobo (serves 4)\n"
        "Put 1 kg chicken thighs in a pot with 120 ml soy sauce, 80 ml cane vinegar, 6 crushed garlic cloves, "
        "3 bay leaves and a teaspoon of black peppercorns. Leave to marinate for at least 30 minutes. Bring to "
        "a boil, then simmer covered for 35 minutes. Remove the lid and cook another 10 minutes until the "
        "sauce thickens. My lola always adds a spoon of brown sugar at the end. Serve with steamed rice.",
        (
            ("how long to marinate", "at least 30 minutes"),
            ("how much vinegar", "80 ml"),
            ("How many garlic cloves?", "6"),
            ("what do you serve it with", "steamed rice"),
            ("simmer time with the lid on", "35 minutes"),
            ("does the chicken need marinating", "Leave to marinate for at least 30 minutes"),
        ),
    ),
    (
        "No-knead bread\n"
        "- 500 g strong white flour\n"
        "- 10 g salt\n"
        "- 3 g dried yeast\n"
        "- 375 ml lukewarm water\n"
        "Mix everything in a large bowl until no dry flour is left. Cover and leave at room temperature for "
        "12 to 18 hours. Shape into a ball and let it rise again for 1 hour. Preheat a cast-iron pot in the "
        "oven at 240°C. Bake with the lid on for 30 minutes, then lid off for 15 minutes more until deep brown.",
        (
            ("how much yeast", "3 g"),
            ("How long is the first rise?", "12 to 18 hours"),
            ("oven temperature", "240°C"),
            ("how long w the lid on", "30 minutes"),
            ("what kind of pot", "a cast-iron pot"),
            ("should the pot be hot before the dough goes in", "Preheat a cast-iron pot in the oven at 240°C"),
        ),
    ),
    (
        "Tiramisu for 6\n"
        "Beat 4 egg yolks with 100 g sugar until pale, then fold in 500 g mascarpone. Whisk the 4 whites to "
        "stiff peaks and fold them in gently. Quickly dip about 24 savoiardi biscuits in 300 ml cold espresso, "
        "one second per side, or they go soggy. Layer biscuits and cream twice, finishing with cream. Chill "
        "for at least 6 hours, ideally overnight. Dust with cocoa just before serving. Nonna Teresa's tip: add "
        "a splash of Marsala to the coffee.",
        (
            ("how much mascarpone", "500 g"),
            ("How long does it need in the fridge?", "at least 6 hours"),
            ("how long to dip the biscuits", "one second per side"),
            ("when does the cocoa go on", "just before serving"),
            ("what does nonna put in the coffee", "a splash of Marsala"),
            ("can i make it the night before", "ideally overnight"),
        ),
    ),
    # --- Transport timetables and service changes ---
    (
        "Service change: Route 42\n"
        "From Monday 6 January, route 42 will no longer stop at Elm Park because of road works on Carver "
        "Avenue. Use the temporary stop on Birch Lane, about 200 metres away. Buses run every 12 minutes on "
        "weekdays and every 20 minutes on weekends. The last bus from the city centre leaves at 23:40. The "
        "works are expected to finish in mid-March. Information: Metrolink customer line 0345 600 1122.",
        (
            ("which stop is closed", "Elm Park"),
            ("Where's the temporary stop?", "Birch Lane"),
            ("how often do buses come at weekends", "every 20 minutes"),
            ("last bus from town", "23:40"),
            ("when will the roadworks be done", "mid-March"),
            ("does the 42 still stop at elm park", "route 42 will no longer stop at Elm Park"),
        ),
    ),
    (
        "Ferry Skarvøy - Holmvik, summer timetable (15 June - 31 August)\n"
        "Departures from Skarvøy: 06:50, 09:30, 13:15, 17:00, 20:45\n"
        "Departures from Holmvik: 07:40, 10:20, 14:05, 17:50, 21:30\n"
        "The crossing takes 35 minutes. Adult ticket: 64 kroner; children under 16: 32 kroner; car including "
        "driver: 210 kroner. Bicycles travel free. On Sundays the first departure from Skarvøy is at 09:30. "
        "Pay by card on board.",
        (
            ("first ferry from skarvoy", "06:50"),
            ("How long is the crossing?", "35 minutes"),
            ("price for a car", "210 kroner"),
            ("kids ticket", "32 kroner"),
            ("last boat back from holmvik", "21:30"),
            ("bikes ok on the ferry", "Bicycles travel free"),
        ),
    ),
    (
        "Tram line 7 disruption\n"
        "Between 19 and 27 July, tram line 7 will not run between Praterstern and Schwedenplatz due to track "
        "renewal. Replacement buses marked 7E run every 8 minutes, day and night. Journey time is about "
        "10 minutes longer. Tickets and passes are valid on the replacement buses. Wheelchair users can use "
        "the low-floor bus at stop B. For live updates, use the StadtMobil app.",
        (
            ("when is the tram 7 closure", "Between 19 and 27 July"),
            ("What's the replacement bus called?", "7E"),
            ("how often do the replacement buses run", "every 8 minutes"),
            ("how much longer does the trip take", "about 10 minutes longer"),
            ("app for live updates", "the StadtMobil app"),
            ("is my monthly pass valid on the replacment bus", "Tickets and passes are valid on the replacement buses"),
        ),
    ),
    (
        "Weekend timetable for the R3 regional train (Tarragona - Lleida)\n"
        "Saturday and Sunday trains depart Tarragona at 7:05, 10:35, 14:05 and 18:35. The journey takes "
        "1 hour 50 minutes. Because of engineering works at Reus on 8 and 9 March, passengers travel by coach "
        "between Tarragona and Reus, adding about 25 minutes. Single fare: 9.45 euros; return: 16.80 euros. "
        "Under-14s travel free with an adult.",
        (
            ("how long is the trip to lleida", "1 hour 50 minutes"),
            ("single ticket price", "9.45 euros"),
            ("How much is a return?", "16.80 euros"),
            ("which days is there a coach instead", "8 and 9 March"),
            ("who travels free", "Under-14s"),
            ("is it train all the way on 8 march", "passengers travel by coach between Tarragona and Reus"),
        ),
    ),
    (
        "Airport Express shuttle\n"
        "The shuttle runs between Central Station (stop 4, east exit) and Terminal 2 every 30 minutes from "
        "4:30 am to 11:30 pm. The journey takes about 40 minutes, longer at rush hour. Tickets cost 8 euros "
        "one way or 14 euros return, bought from the driver (cash or card) or online for 1 euro less. Each "
        "passenger may bring two large suitcases. On 25 December the service does not run.",
        (
            ("where does the airport shuttle leave from", "Central Station (stop 4, east exit)"),
            ("How often does it run?", "every 30 minutes"),
            ("first shuttle", "4:30 am"),
            ("luggage allowance", "two large suitcases"),
            ("what day doesnt it run", "25 December"),
            ("can i pay the driver by card", "bought from the driver (cash or card)"),
        ),
    ),
    # --- Short encyclopedia-style paragraphs ---
    (
        "Varnhelm is a small town in the fictional region of Ostmark, built on both banks of the river Lenne. "
        "It was founded in 1214 as a salt-trading post and received town rights in 1382. Today it has about "
        "11,400 inhabitants. Its best-known building is the Gothic St. Aldric's Church, whose 78-metre tower "
        "can be climbed in summer. The town hosts a cheese market every September, and its twin town is "
        "Carrow in Ireland.",
        (
            ("when was varnhelm founded", "1214"),
            ("population", "about 11,400 inhabitants"),
            ("What river is it on?", "the river Lenne"),
            ("how tall is the church tower", "78-metre"),
            ("twin town?", "Carrow in Ireland"),
            ("can you go up the church tower", "can be climbed in summer"),
        ),
    ),
    (
        "The axolotl is a salamander native to the lakes around Mexico City, especially Lake Xochimilco. "
        "Unlike most amphibians it keeps its larval features as an adult, including feathery external gills. "
        "Axolotls usually grow to about 23 cm and can live 10 to 15 years in captivity. They are famous for "
        "regrowing lost limbs, and even parts of the heart and brain. In the wild the species is critically "
        "endangered, mainly because of pollution and introduced fish like tilapia.",
        (
            ("where do axolotls come from", "the lakes around Mexico City"),
            ("how big do they get", "about 23 cm"),
            ("lifespan in captivity", "10 to 15 years"),
            ("Why are they endangered?", "pollution and introduced fish"),
            ("what kind of animal is an axolotl", "a salamander"),
            ("are they endangered", "critically endangered"),
        ),
    ),
    (
        "The safety pin was patented on 10 April 1849 by Walter Hunt, a mechanic from New York. According to "
        "the usual story, he invented it in about three hours while twisting a piece of brass wire, because he "
        "needed to pay off a debt of 15 dollars. Hunt then sold the patent rights for 400 dollars. His design "
        "added a clasp that covered the sharp point, and a coiled spring at the other end kept the pin closed.",
        (
            ("Who invented the safety pin?", "Walter Hunt"),
            ("when was it patented", "10 April 1849"),
            ("how much did he sell the patent for", "400 dollars"),
            ("how long did it take him to invent", "about three hours"),
            ("how big was his debt", "15 dollars"),
        ),
    ),
    (
        "The Great Molasses Flood happened in Boston's North End on 15 January 1919, when a huge storage tank "
        "burst and released about 8.7 million litres of molasses. A wave of syrup, several metres high, rushed "
        "through the streets at around 56 km/h. Twenty-one people were killed and about 150 were injured. The "
        "company that owned the tank was later found responsible and paid about 628,000 dollars in settlements. "
        "Locals claimed the area smelled sweet on hot days for decades.",
        (
            ("where did the molasses flood happen", "Boston's North End"),
            ("date of the flood", "15 January 1919"),
            ("How many people died?", "Twenty-one"),
            ("how fast was the wave", "around 56 km/h"),
            ("how much molasses was in the tank", "about 8.7 million litres"),
            ("was the company held responsible", "The company that owned the tank was later found responsible"),
        ),
    ),
    (
        "Kalvø Lighthouse stands on the northern tip of the small island of Kalvø, about 4 km off the coast. "
        "The white stone tower, 31 metres tall, was completed in 1871 and its light can be seen from 18 "
        "nautical miles. The last keeper, Halvard Brekke, left in 1989 when the light was automated. Since "
        "2005 the keeper's house has been a small museum, open daily from June to August. Boats leave from "
        "Nordhavn harbour twice a day.",
        (
            ("how high is the lighthouse", "31 metres"),
            ("When was it finished?", "1871"),
            ("who was the last keeper", "Halvard Brekke"),
            ("museum opening months", "daily from June to August"),
            ("where do the boats go from", "Nordhavn harbour"),
            ("is there still a keeper living there", "The last keeper, Halvard Brekke, left in 1989"),
        ),
    ),
    # --- Insurance, bank and phone contract terms ---
    (
        "Your TelNova Flex 20 plan\n"
        "- 20 GB of data per month in the UK, plus 10 GB when roaming in the EU\n"
        "- Unlimited calls and texts\n"
        "- Monthly price: 14 pounds for 24 months, rising each April by 3.9%\n"
        "If you use all your data, speed drops to 128 kbps until the next bill. You can cancel in the first "
        "14 days without a fee. After that, leaving early costs the remaining months' charges. Customer "
        "service: 0800 011 2020.",
        (
            ("how much data do i get", "20 GB of data per month"),
            ("roaming data in the EU", "10 GB"),
            ("What's the monthly price?", "14 pounds"),
            ("cooling off period", "the first 14 days"),
            ("what happens if i run out of data", "speed drops to 128 kbps"),
            ("unlimited calls?", "Unlimited calls and texts"),
        ),
    ),
    (
        "SafeTrip travel insurance, Silver level\n"
        "Medical expenses abroad are covered up to 2 million euros. Lost or stolen luggage is covered up to "
        "1,500 euros, but no single item over 300 euros. Trip cancellation is covered up to 3,000 euros if you "
        "cancel because of illness, injury or a family death. Winter sports are not included unless you add "
        "the Ski Pack for 19 euros. The excess is 75 euros per claim. Claims must be made within 30 days of "
        "returning home.",
        (
            ("medical cover limit", "up to 2 million euros"),
            ("What's the most they pay for one item?", "300 euros"),
            ("excess?", "75 euros per claim"),
            ("how much is the ski pack", "19 euros"),
            ("deadline for making a claim", "within 30 days of returning home"),
            ("am i covered for skiing", "Winter sports are not included unless you add the Ski Pack"),
        ),
    ),
    (
        "Nordbank Everyday Account - key terms\n"
        "There is no monthly fee if at least 800 euros is paid in each month; otherwise the fee is 4.50 euros. "
        "Card payments in other currencies cost 1.75% of the amount. Cash withdrawals are free at Nordbank "
        "machines and cost 2 euros at other banks. The arranged overdraft rate is 11.9% per year. If your card "
        "is lost, block it immediately in the app or call +358 20 555 7000, available 24 hours a day.",
        (
            ("monthly fee", "4.50 euros"),
            ("How do I avoid the monthly fee?", "at least 800 euros is paid in each month"),
            ("foreign currency charge", "1.75% of the amount"),
            ("overdraft interest rate", "11.9% per year"),
            ("lost card number", "+358 20 555 7000"),
            ("is it free to take cash out at another bank's atm", "cost 2 euros at other banks"),
        ),
    ),
    (
        "Car insurance renewal - policy HX-55812\n"
        "Dear Ms Papadopoulou, your comprehensive cover with Aegean Mutual renews on 1 October. The new annual "
        "premium is 486 euros, or 42 euros a month by direct debit. Your no-claims discount is now 5 years. "
        "Named drivers: you and Nikos Papadopoulos. Windscreen repair has no excess; all other claims have a "
        "250-euro excess. If you don't want to renew, tell us before 24 September.",
        (
            ("when does my car insurance renew", "1 October"),
            ("annual premium", "486 euros"),
            ("How much per month?", "42 euros a month"),
            ("who else is on the policy", "Nikos Papadopoulos"),
            ("deadline to cancel renewal", "before 24 September"),
            ("will i pay the excess for a windscreen repair", "Windscreen repair has no excess"),
        ),
    ),
    (
        "Fibrelink Home 500 broadband\n"
        "Download speeds up to 500 Mbps, upload up to 100 Mbps. The first 6 months cost 19.99 dollars a month, "
        "then 39.99 dollars a month for the rest of the 18-month contract. Installation is free if you book "
        "online; otherwise it costs 60 dollars. The router remains ours and must be returned within 30 days if "
        "you leave. Technical support is available from 8 am to 10 pm on 1-888-555-0147.",
        (
            ("price after the first 6 months", "39.99 dollars a month"),
            ("How long is the contract?", "18-month"),
            ("upload speed", "up to 100 Mbps"),
            ("install fee if i dont book online", "60 dollars"),
            ("tech support hours", "from 8 am to 10 pm"),
            ("do i get to keep the router", "The router remains ours"),
        ),
    ),
    # --- Volunteer and charity announcements ---
    (
        "Volunteers wanted at the Eastgate Food Bank\n"
        "We need help sorting donations on Saturdays from 9 am to 1 pm and delivering parcels on Tuesday "
        "evenings (own car needed). No experience required, but volunteers must be 16 or over. Wear closed "
        "shoes. Our warehouse is at Unit 5, Foundry Lane, behind the Lidl. To sign up, contact our coordinator "
        "Priya Sharma on 07700 900 461 or come to the open evening on 4 February at 6:30 pm.",
        (
            ("when is sorting", "Saturdays from 9 am to 1 pm"),
            ("minimum age to volunteer", "16 or over"),
            ("Where is the warehouse?", "Unit 5, Foundry Lane"),
            ("whos the coordinator", "Priya Sharma"),
            ("when's the open evening", "4 February at 6:30 pm"),
            ("ive never done this before, is that ok", "No experience required"),
            ("do i need a car for deliveries", "own car needed"),
        ),
    ),
    (
        "Big Beach Clean-Up, Playa de San Lorenzo, Gijón\n"
        "Sunday 28 April, 10:00 to 12:30. Meet at the lifeguard tower near the Escalerona. Gloves, bags and "
        "litter pickers are provided; bring sunscreen and water. Children are welcome if accompanied by an "
        "adult. Last year 240 volunteers collected 1.2 tonnes of rubbish. Afterwards there's a free breakfast "
        "at Café Marejada for everyone who took part. Organised by Mar Limpio, contact: info@marlimpio.example.",
        (
            ("meeting point", "the lifeguard tower near the Escalerona"),
            ("What should I bring?", "sunscreen and water"),
            ("how much rubbish did they get last year", "1.2 tonnes"),
            ("where's the free breakfast", "Café Marejada"),
            ("what time does it finish", "12:30"),
            ("kids allowed?", "Children are welcome if accompanied by an adult"),
        ),
    ),
    (
        "Run for the Hospice 10K - registration now open\n"
        "The race takes place on Sunday 7 September, starting at 9:30 am from Riverside Park, Dunmore. Entry "
        "is 20 pounds for adults and 8 pounds for under-16s, and includes a T-shirt and medal. There is also a "
        "2 km fun run for children at 8:45 am. Every runner is asked to raise at least 50 pounds for St "
        "Brigid's Hospice. Registration closes on 25 August or when 800 places are filled.",
        (
            ("entry fee for adults", "20 pounds"),
            ("When does the kids' fun run start?", "8:45 am"),
            ("fundraising minimum", "at least 50 pounds"),
            ("last day to sign up", "25 August"),
            ("how many places r there", "800"),
            ("do runners get a medal", "includes a T-shirt and medal"),
        ),
    ),
    (
        "Dog walkers needed at Happy Tails Shelter\n"
        "Many of our 40 dogs don't get out enough. Volunteers walk dogs for 45 minutes, morning slot 8-10 am "
        "or afternoon slot 2-4 pm, any day except Monday. Before your first walk you attend a one-hour training "
        "session, held every Saturday at 11. Minimum age is 18. We ask for a commitment of at least one walk "
        "per week for three months. Shelter address: 14 Quarry Road, Ashby. Email: walk@happytails.example",
        (
            ("how long is each walk", "45 minutes"),
            ("which day can't i walk dogs", "Monday"),
            ("When is the training session?", "every Saturday at 11"),
            ("how old do i need to be", "18"),
            ("shelter address", "14 Quarry Road, Ashby"),
            ("my son is 16 can he walk dogs", "Minimum age is 18"),
        ),
    ),
    (
        "Winter coat collection\n"
        "The Grünwald parish is collecting warm winter clothing for the city's night shelter. We especially "
        "need men's coats in sizes L and XL, gloves, hats and new socks. Please wash everything before "
        "donating. No summer clothes or shoes, please. Drop-off is at the parish hall, Kirchweg 3, on "
        "Wednesdays 16:00-19:00 and Saturdays 10:00-12:00, until 20 December. Questions? Ask Deacon Johannes "
        "Maier after Sunday mass.",
        (
            ("what coat sizes do they need", "sizes L and XL"),
            ("Where do I drop things off?", "the parish hall, Kirchweg 3"),
            ("what cant i donate", "summer clothes or shoes"),
            ("last day for donations", "20 December"),
            ("who to ask", "Deacon Johannes Maier"),
            ("do i have to wash the clothes first", "Please wash everything before donating"),
        ),
    ),
    # --- Game and app release notes ---
    (
        "Patch 2.3.1 - Skyforge Legends\n"
        "- Fixed a crash when opening the inventory during cutscenes.\n"
        "- The Ember Sword now deals 12% less damage in PvP.\n"
        "- Daily quests reset at 04:00 server time instead of midnight.\n"
        "- New map: Frostmere Pass, unlocked at level 30.\n"
        "- Added Portuguese and Korean subtitles.\n"
        "The download is about 1.8 GB. Servers will be offline for maintenance on 14 November from 06:00 to "
        "08:00 UTC.",
        (
            ("which weapon got nerfed", "The Ember Sword"),
            ("What level unlocks the new map?", "level 30"),
            ("new reset time for dailies", "04:00 server time"),
            ("patch size", "about 1.8 GB"),
            ("new subtitle languages", "Portuguese and Korean"),
            ("did they fix the inventory crash", "Fixed a crash when opening the inventory during cutscenes"),
        ),
    ),
    (
        "What's new in BudgetBee 5.0\n"
        "You can now split a single receipt between several categories. Recurring bills show a reminder "
        "3 days before they are due. Dark mode finally follows your phone's system setting. We removed the old "
        "Excel export; use CSV export instead. The app now needs iOS 16 or Android 10 or newer. Premium stays "
        "at 2.99 dollars a month, and family sharing for up to 5 people is included.",
        (
            ("when do bill reminders show up", "3 days before they are due"),
            ("What replaces the Excel export?", "CSV export"),
            ("minimum android version", "Android 10"),
            ("premium price", "2.99 dollars a month"),
            ("how many ppl in family sharing", "up to 5 people"),
            ("can i still export to excel", "We removed the old Excel export"),
        ),
    ),
    (
        "Version 1.9 of Tiny Farm Tales is out!\n"
        "NEW: the Autumn Festival event runs from 1 to 21 October. Collect pumpkins to win the golden "
        "scarecrow.\n"
        "CHANGED: the barn can now hold 250 items (was 150).\n"
        "FIXED: chickens no longer disappear after the app is closed.\n"
        "The event shop accepts Maple Tokens; they expire when the event ends. As a thank-you, all players "
        "receive 50 gems by logging in before 7 October.",
        (
            ("when does the festival event end", "21 October"),
            ("barn capacity now", "250 items"),
            ("What do you have to collect?", "pumpkins"),
            ("whats the prize", "the golden scarecrow"),
            ("how many free gems", "50 gems"),
            ("do maple tokens expire", "they expire when the event ends"),
        ),
    ),
    (
        "Firmware 4.12 for the Pulsar S3 smartwatch\n"
        "This update adds swimming lap counting and a new sleep score shown each morning at wake-up. Battery "
        "life in GPS mode improves from 14 to 18 hours. Known issue: heart-rate alerts may be delayed by up to "
        "a minute; a fix is planned for 4.13. To install, keep the watch on its charger with at least 50% "
        "battery. Installation takes about 20 minutes, and the watch restarts twice.",
        (
            ("new gps battery life", "18 hours"),
            ("how much battery do i need to update", "at least 50%"),
            ("How long does the install take?", "about 20 minutes"),
            ("known bug", "heart-rate alerts may be delayed by up to a minute"),
            ("which version fixes it", "4.13"),
            ("does it count laps in the pool now", "This update adds swimming lap counting"),
        ),
    ),
    (
        "Harbor Lights: Early Access update 0.8\n"
        "The long-awaited co-op mode is here: up to 4 players can now run a fishing village together. We've "
        "added 3 new boats, including the steam trawler, and a weather system with storms that can damage "
        "nets. Save files from 0.7 still work, but old co-op test saves do not. The price will rise from "
        "17.99 euros to 22.99 euros at full release, planned for spring. Report bugs on our Discord, channel "
        "#bug-reports.",
        (
            ("max players in co-op", "up to 4 players"),
            ("How many new boats?", "3 new boats"),
            ("price at full release", "22.99 euros"),
            ("when is full release", "spring"),
            ("where do i report bugs", "#bug-reports"),
            ("will my 0.7 save still work", "Save files from 0.7 still work"),
        ),
    ),
)

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import CCairo
import Testing
@testable import Plot

@Suite("Ticks")
struct TickTests {
    @Test("linear ticks use 1-2-5 steps and print without float noise")
    func linearTicks() {
        let ticks = Ticks.linear(0, 1)
        #expect(ticks.map(\.label) == ["0", "0.2", "0.4", "0.6", "0.8", "1"])
        #expect(Ticks.linear(0.1, 0.6).map(\.label) == ["0.1", "0.2", "0.3", "0.4", "0.5", "0.6"])
        #expect(Ticks.linear(-3, 7).map(\.value) == [-2, 0, 2, 4, 6])
        #expect(Ticks.linear(0, 2500).map(\.label) == ["0", "500", "1000", "1500", "2000", "2500"])
    }

    @Test("tiny and huge ranges get exponent labels")
    func exponentLabels() {
        let tiny = Ticks.linear(1e-7, 5e-7)
        #expect(!tiny.isEmpty)
        #expect(tiny.allSatisfy { $0.label.contains("e-7") })
        #expect(Ticks.linear(0, 3e7).map(\.label).contains("1e7"))
    }

    @Test("log ticks sit on decades and thin out over wide ranges")
    func logTicks() {
        #expect(Ticks.log(1e-3, 10).map(\.label) == ["0.001", "0.01", "0.1", "1", "10"])
        let wide = Ticks.log(1e-12, 1)
        #expect(wide.count <= 8 && wide.count >= 4)
        #expect(wide.first?.label == "1e-12")
    }

    @Test("degenerate ranges give no ticks instead of trapping")
    func degenerate() {
        #expect(Ticks.linear(1, 1).isEmpty)
        #expect(Ticks.linear(.nan, 1).isEmpty)
        #expect(Ticks.log(0, 1).isEmpty)
        #expect(Ticks.linear(0, .infinity).isEmpty)
    }

    @Test("an axis over a single value or no data still has a range")
    func axisRanges() {
        let single = Axis(scale: .linear, values: [3, 3], limits: nil, pad: false)
        #expect(single.lo < 3 && single.hi > 3)
        let empty = Axis(scale: .log10, values: [.nan, -1, 0], limits: nil, pad: true)
        #expect(empty.lo > 0 && empty.hi > empty.lo)
    }
}

@Suite("Figures")
struct FigureTests {
    static func demo() -> Figure {
        let steps = (0...100).map { Double($0) * 10 }
        let loss = steps.map { t in t < 300 ? 1.0 : t < 600 ? 1e-3 : 1e-8 }
        let eig = steps.map { t in 1 / (1 + exp(-(t - 200) / 20)) }
        return Figure(title: "demo & <test>", panels: [
            Panel(title: "loss", xLabel: "step", yScale: .log10, series: [Series(label: "loss", xs: steps, ys: loss)]),
            Panel(title: "eigenvalues", xLabel: "step", yLabel: "λ",
                  series: [Series(label: "λ1", xs: steps, ys: eig), Series(label: "λ2 \"dashed\"", xs: steps, ys: eig.map { $0 / 2 }, dashed: true)]),
        ], columns: 2)
    }

    @Test("SVG has one polyline per unbroken run and escapes labels")
    func svgStructure() throws {
        let svg = try Self.demo().svgString()
        #expect(svg.hasPrefix("<?xml"))
        #expect(svg.hasSuffix("</svg>\n"))
        #expect(svg.contains("demo &amp; &lt;test&gt;"))
        #expect(svg.contains("λ2 &quot;dashed&quot;"))
        // 3 data lines + 3 legend samples.
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 6)
        #expect(svg.contains("stroke-dasharray"))
    }

    @Test("non-finite and non-positive points break the line on a log axis")
    func brokenLines() throws {
        let figure = Figure(panels: [Panel(yScale: .log10, legend: false,
            series: [Series(xs: [0, 1, 2, 3, 4, 5], ys: [1, 0.1, .nan, 0.01, -1, 0.001])])])
        let svg = try figure.svgString()
        #expect(svg.components(separatedBy: "<polyline").count - 1 == 3)
    }

    @Test("an empty panel says so")
    func emptyPanel() throws {
        #expect(try Figure(panels: [Panel(series: [Series(xs: [], ys: [])])]).svgString().contains("no data"))
    }

    @Test("PNG has the signature and the requested size, written without leftovers")
    func png() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("plot-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("demo.png")
        try Self.demo().write(to: url)
        let bytes = [UInt8](try Data(contentsOf: url))
        #expect(Array(bytes.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        func be32(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
        #expect(be32(16) == 960 && be32(20) == 360 + 34)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["demo.png"])
        try Self.demo().write(to: dir.appendingPathComponent("demo.svg"))
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("demo.svg").path))
    }

    /// PNGEncoder against cairo's own PNG reader (libpng): the drawn pixels come back, opaque ones
    /// (stored as RGB) exactly, translucent ones (RGBA, un-premultiplied) within one unit of rounding.
    @Test("PNG files decode to the drawn pixels, opaque and translucent")
    func pngRoundTrip() throws {
        final class Reader {
            let bytes: [UInt8]
            var at = 0
            init(_ bytes: [UInt8]) { self.bytes = bytes }
        }
        for translucent in [false, true] {
            let surface = try #require(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 37, 23))
            defer { cairo_surface_destroy(surface) }
            let cr = try #require(cairo_create(surface))
            if !translucent {
                cairo_set_source_rgb(cr, 1, 1, 1)
                cairo_paint(cr)
            }
            cairo_set_source_rgba(cr, 0.2, 0.5, 0.9, translucent ? 0.6 : 1)
            cairo_arc(cr, 18, 11, 9, 0, 2 * Double.pi)
            cairo_fill(cr)
            cairo_destroy(cr)
            cairo_surface_flush(surface)
            var image = try #require(PNGEncoder.filteredImage(surface))
            let bytes = try #require(PNGEncoder.encode(&image))
            #expect(bytes[25] == (translucent ? 6 : 2), "colour type RGBA or RGB")
            let reader = Reader(bytes)
            let read = cairo_image_surface_create_from_png_stream({ closure, data, length in
                guard let closure, let data else { return CAIRO_STATUS_READ_ERROR }
                let reader = Unmanaged<Reader>.fromOpaque(closure).takeUnretainedValue()
                let count = Int(length)
                guard reader.at + count <= reader.bytes.count else { return CAIRO_STATUS_READ_ERROR }
                for k in 0..<count { data[k] = reader.bytes[reader.at + k] }
                reader.at += count
                return CAIRO_STATUS_SUCCESS
            }, Unmanaged.passUnretained(reader).toOpaque())
            let decoded = try #require(read)
            defer { cairo_surface_destroy(decoded) }
            #expect(cairo_surface_status(decoded) == CAIRO_STATUS_SUCCESS)
            #expect(cairo_image_surface_get_width(decoded) == 37 && cairo_image_surface_get_height(decoded) == 23)
            let original = try #require(cairo_image_surface_get_data(surface))
            let back = try #require(cairo_image_surface_get_data(decoded))
            let (s1, s2) = (Int(cairo_image_surface_get_stride(surface)), Int(cairo_image_surface_get_stride(decoded)))
            var largest = 0
            for y in 0..<23 {
                for x in 0..<37 {
                    for c in 0..<4 {
                        largest = max(largest, abs(Int(original[y * s1 + 4 * x + c]) - Int(back[y * s2 + 4 * x + c])))
                    }
                }
            }
            #expect(largest <= (translucent ? 1 : 0), "largest channel difference \(largest)")
        }
    }

    @Test("unwritable paths and unknown formats are clear errors")
    func errors() {
        let figure = Self.demo()
        #expect(throws: PlotError.self) { try figure.write(to: URL(fileURLWithPath: "/nonexistent-dir/x.png")) }
        do {
            try figure.write(to: URL(fileURLWithPath: "/tmp/x.gif"))
            Issue.record("a .gif must be refused")
        } catch {
            #expect(error.description.contains("figures are written as .svg or .png"))
        }
        do {
            try figure.write(to: URL(fileURLWithPath: "/nonexistent-dir/x.svg"))
        } catch {
            #expect(error.description.contains("/nonexistent-dir/x.svg"))
        }
    }
}

@Suite("Figure features")
struct FigureFeatureTests {
    static func featured() -> Figure {
        let xs = (0..<20).map(Double.init)
        let ys = xs.map { exp(-$0 / 5) }
        var band = Series(label: "±20%", xs: xs, ys: ys.map { $0 * 1.2 })
        band.bandLow = ys.map { $0 * 0.8 }
        band.group = "a"
        var data = Series(label: "data", xs: xs, ys: ys)
        data.group = "a"
        var theory = Series(xs: xs, ys: ys.map { $0 * 1.1 }, dashed: true)
        theory.group = "a"
        var other = Series(label: "other", xs: xs, ys: ys.map { $0 / 2 })
        other.marker = .triangle
        var points = Series(label: "points", xs: [1, 2], ys: [0.5, 0.4], errors: [0.1, 0.1])
        points.drawsLine = false
        points.marker = .square
        var right = Series(label: "right", xs: xs, ys: xs.map { $0 * 100 })
        right.rightAxis = true
        var panel = Panel(title: "features", series: [band, data, theory, other, points, right])
        panel.legendPosition = .outside
        panel.y2Label = "y2"
        var map = Panel(title: "heat")
        map.heatmap = Heatmap(rows: 2, cols: 3, values: [0, 1, 2, 3, 4, .nan])
        return Figure(panels: [panel, map], columns: 2)
    }

    @Test("a group shares its first series' colour; ungrouped series take the next palette colours")
    func groupsShareColours() {
        var index = 0
        let panel = Self.featured().panels[0]
        let colors = PanelLayout.colors(panel.series, colorIndex: &index)
        #expect(colors[0] == Palette.color(0) && colors[1] == colors[0] && colors[2] == colors[0])
        #expect(colors[3] == Palette.color(1) && colors[4] == Palette.color(2) && index == 4)
    }

    @Test("data near ±1e308 is placed on a finite axis with ticks, not squashed against an edge")
    func extremeValues() {
        let axis = Axis(scale: .linear, values: [1e308, -1e308], limits: nil, pad: true)
        #expect(axis.lo.isFinite && axis.hi.isFinite && axis.lo < -1e308 && axis.hi > 1e308)
        #expect(abs(axis.fraction(1e308) - (1 - axis.fraction(-1e308))) < 1e-12 && axis.fraction(0) == 0.5)
        #expect(!axis.ticks.isEmpty)
        let wide = Axis(scale: .linear, values: [Double.greatestFiniteMagnitude, -Double.greatestFiniteMagnitude], limits: nil, pad: true)
        #expect(wide.fraction(0) == 0.5 && wide.fraction(wide.hi) == 1)
        // The halved arithmetic gives ordinary ranges the bits they had.
        let plain = Axis(scale: .linear, values: [0.3, 7.1], limits: nil, pad: false)
        #expect(plain.fraction(2.2) == (2.2 - 0.3) / (7.1 - 0.3))
    }

    @Test("a series' colour is read as #rrggbb, #rgb or a CSS name; anything else draws black and never reaches the SVG as text")
    func seriesColours() throws {
        #expect(ColorText.hex("#0072b2") == "#0072B2" && ColorText.hex("#0af") == "#00AAFF")
        #expect(ColorText.hex("Red") == "#FF0000" && ColorText.hex("grey") == ColorText.hex("gray"))
        for bad in ["", "#", "#12345", "#1234567", "#gg0000", "notacolor", "red\" onload=\"x", "#ＡＢＣ"] {
            #expect(ColorText.hex(bad) == nil, "\(bad)")
        }
        let series = [Series(xs: [1, 2], ys: [1, 2], color: "red\" onload=\"alert(1)"), Series(xs: [1, 2], ys: [2, 1], color: "steelblue")]
        let svg = try Figure(panels: [Panel(legend: false, series: series)], columns: 1).svgString()
        #expect(!svg.contains("onload") && svg.contains("stroke=\"#000000\"") && svg.contains("stroke=\"#4682B4\""))
    }

    @Test("bands, markers, the second axis, the outside legend and the heatmap reach the SVG")
    func svgHasEveryFeature() throws {
        let svg = try Self.featured().svgString()
        #expect(svg.contains("<polygon clip-path") && svg.contains("fill-opacity=\"0.25\""))
        #expect(svg.contains("<polygon fill="))  // triangle markers
        #expect(svg.contains(">y2</text>") && svg.contains(">1500</text>"))  // right axis label and ticks
        #expect(svg.contains(ColorMap.color(0)) && svg.contains(ColorMap.color(1)) && svg.contains("#bbbbbb"))  // heatmap ends and a NaN cell
        // Well-formed: every opened element is closed.
        let parser = XMLParser(data: Data(svg.utf8))
        #expect(parser.parse())
    }

    @Test("the outside legend sits right of the plot area and the axis labels")
    func outsideLegendIsOutside() {
        let layout = FigureLayout(Self.featured())
        let boxes = layout.primitives.compactMap { p -> Rect? in
            if case let .rect(r, stroke, fill, _) = p, stroke == "#bbbbbb", fill == "#ffffff" { return r }
            return nil
        }
        let frames = layout.primitives.compactMap { p -> Rect? in
            if case let .rect(r, stroke, nil, _) = p, stroke == PanelLayout.axisColor { return r }
            return nil
        }
        guard let legend = boxes.first, let plot = frames.first else {
            Issue.record("no legend or plot frame")
            return
        }
        #expect(legend.x > plot.x + plot.width + 20)
    }

    @Test("viridis runs from dark purple to yellow and clamps")
    func colorMap() {
        #expect(ColorMap.color(0) == "#440154" && ColorMap.color(1) == "#fde725")
        #expect(ColorMap.color(-3) == ColorMap.color(0) && ColorMap.color(.nan) == "#bbbbbb")
        #expect(Heatmap(rows: 2, cols: 2, values: [1]) == nil)
    }

    @Test("a log axis over data near the largest Double keeps finite ends")
    func logAxisNearOverflow() {
        let axis = Axis(scale: .log10, values: [1e-5, 1e307], limits: nil, pad: true)
        #expect(axis.hi.isFinite && !Ticks.log(axis.lo, axis.hi).isEmpty)
    }

    @Test("index labels of a heatmap thin out in 1-2-5 steps")
    func heatmapLabelSteps() {
        #expect(HeatmapLayout.labelStep(5) == 1 && HeatmapLayout.labelStep(20) == 5 && HeatmapLayout.labelStep(100) == 20)
    }
}

/* Cell renderers for dash-ag-grid: links to a member's scorecard and to an uploaded file, and a
   sparkline. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions =
    window.dashAgGridComponentFunctions || {});

dagcomponentfuncs.MemberLink = function (props) {
    if (!props.value) {
        return null;
    }
    return React.createElement(
        "a",
        {href: "/members/" + encodeURIComponent(props.value), className: "bsc-member-link"},
        props.value
    );
};

/* The uploaded file's name (text, whatever it holds), linking to the file as it was uploaded;
   the upload's number is in the column named by `uploadField`. */
dagcomponentfuncs.UploadFile = function (props) {
    var upload = props.data ? props.data[props.uploadField] : null;
    if (upload === null || upload === undefined || !props.value) {
        return props.value || null;
    }
    return React.createElement(
        "a",
        {href: "/uploads/" + encodeURIComponent(upload) + "/file", className: "bsc-upload-link"},
        props.value
    );
};

/* Draws "1 2.5 3" (recent values, oldest first) as a small line with its last point marked. */
dagcomponentfuncs.Sparkline = function (props) {
    var values = String(props.value || "")
        .split(" ")
        .filter(function (text) { return text !== ""; })
        .map(Number);
    if (values.length < 2) {
        return null;
    }
    var width = 90, height = 22, pad = 2;
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var span = high - low || 1;
    var points = values.map(function (value, index) {
        var x = pad + (index * (width - 2 * pad)) / (values.length - 1);
        var y = height - pad - ((value - low) * (height - 2 * pad)) / span;
        return [x, y];
    });
    var last = points[points.length - 1];
    return React.createElement(
        "svg",
        {width: width, height: height, className: "bsc-sparkline", role: "img",
         "aria-label": values.join(", ")},
        React.createElement("polyline", {
            points: points.map(function (p) { return p[0].toFixed(1) + "," + p[1].toFixed(1); })
                .join(" "),
            fill: "none", stroke: "#1f4e79", strokeWidth: 1.5,
        }),
        React.createElement("circle", {cx: last[0], cy: last[1], r: 2.5, fill: "#1f4e79"})
    );
};
